package io.ventiapi.server.role;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * A process without the api role serves health and metrics only (for probes and scraping);
 * every other path is refused rather than falling back to a generated default login.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnRole(value = VentiRole.API, absent = true)
class WithoutApiRole {

    @Bean
    SecurityFilterChain probesOnly(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(requests -> requests.requestMatchers(
                                "/actuator/health", "/actuator/health/**", "/actuator/prometheus", "/actuator/info")
                        .permitAll()
                        .anyRequest()
                        .denyAll())
                .csrf(csrf -> csrf.disable());
        return http.build();
    }
}
