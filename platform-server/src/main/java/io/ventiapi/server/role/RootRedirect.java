package io.ventiapi.server.role;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Until the admin portal exists, the root sends people who signed in to GraphiQL. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnRole(VentiRole.API)
class RootRedirect {

    @Bean
    WebMvcConfigurer rootToGraphiql() {
        return new WebMvcConfigurer() {
            @Override
            public void addViewControllers(ViewControllerRegistry registry) {
                registry.addRedirectViewController("/", "/graphiql");
            }
        };
    }
}
