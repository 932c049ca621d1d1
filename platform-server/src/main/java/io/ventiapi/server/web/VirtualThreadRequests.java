package io.ventiapi.server.web;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.tomcat.autoconfigure.TomcatVirtualThreadsWebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Tomcat serves each request on a virtual thread ({@code venti.web.virtual-threads}, on by default). Only the
 * web server's threads: {@code spring.threads.virtual.enabled} would also move Spring GraphQL's controller
 * calls to a task executor, off the request thread whose scope holds the caller's tenant. A request's work
 * is the same on either kind of thread; on a 2-core machine the virtual threads' carriers (one per core)
 * spent about a fifth less CPU per findings page than Tomcat's 200 platform threads, which the kernel
 * switched between (docs/benchmarks.md, session 6).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "venti.web.virtual-threads", havingValue = "true", matchIfMissing = true)
class VirtualThreadRequests {

    @Bean
    TomcatVirtualThreadsWebServerFactoryCustomizer tomcatOnVirtualThreads() {
        return new TomcatVirtualThreadsWebServerFactoryCustomizer();
    }
}
