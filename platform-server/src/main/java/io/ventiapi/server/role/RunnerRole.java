package io.ventiapi.server.role;

import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;

/** The runner role (module {@code scan-runner}). */
@Configuration(proxyBeanMethods = false)
@ConditionalOnRole(VentiRole.RUNNER)
@ComponentScan("io.ventiapi.runner")
class RunnerRole {}
