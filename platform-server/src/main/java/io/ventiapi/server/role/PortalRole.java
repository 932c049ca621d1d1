package io.ventiapi.server.role;

import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;

/** The portal role (module {@code admin-portal}). */
@Configuration(proxyBeanMethods = false)
@ConditionalOnRole(VentiRole.PORTAL)
@ComponentScan("io.ventiapi.portal")
class PortalRole {}
