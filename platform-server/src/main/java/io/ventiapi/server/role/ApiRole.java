package io.ventiapi.server.role;

import org.springframework.boot.persistence.autoconfigure.EntityScan;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.jpa.repository.config.EnableJpaRepositories;

/** The api role: the platform's domain, GraphQL API and identity (module {@code platform-api}). */
@Configuration(proxyBeanMethods = false)
@ConditionalOnRole(VentiRole.API)
@ComponentScan("io.ventiapi.platform")
@EntityScan("io.ventiapi.platform")
@EnableJpaRepositories("io.ventiapi.platform")
class ApiRole {}
