package io.ventiapi.platform.security;

import io.micrometer.tracing.Tracer;
import io.ventiapi.platform.audit.AuditLog;
import io.ventiapi.platform.common.SecretDigest;
import io.ventiapi.platform.crypto.MasterKey;
import io.ventiapi.platform.outbound.OutboundUrlPolicy;
import io.ventiapi.platform.security.internal.ApiClientRegistrations;
import io.ventiapi.platform.security.internal.BearerHeaderTokens;
import io.ventiapi.platform.security.internal.BearerTokenRefusals;
import io.ventiapi.platform.security.internal.CurrentPasswordCodes;
import io.ventiapi.platform.security.internal.ExternalIssuerDecoders;
import io.ventiapi.platform.security.internal.LoginThrottle;
import io.ventiapi.platform.security.internal.MemberLogins;
import io.ventiapi.platform.security.internal.MemberPasswords;
import io.ventiapi.platform.security.internal.PasswordChangeRequired;
import io.ventiapi.platform.security.internal.PasswordChangedSignOut;
import io.ventiapi.platform.security.internal.SignInAudit;
import io.ventiapi.platform.security.internal.SigningKeyStore;
import io.ventiapi.platform.security.internal.TenantEdgeFilter;
import io.ventiapi.platform.security.internal.TokenAuthentication;
import io.ventiapi.platform.security.internal.TokenClaims;
import io.ventiapi.platform.security.internal.TransientClientCredentialsAuthorizations;
import io.ventiapi.platform.security.internal.UnrevocableTokens;
import io.ventiapi.platform.security.internal.VerifiedTokenCache;
import io.ventiapi.tenancy.TenantId;
import java.time.Clock;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.CredentialsExpiredException;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.DefaultLoginPageConfigurer;
import org.springframework.security.config.annotation.web.configurers.oauth2.server.authorization.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationConsentAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.SavedRequestAwareAuthenticationSuccessHandler;
import org.springframework.security.web.authentication.SimpleUrlAuthenticationFailureHandler;
import org.springframework.security.web.authentication.ui.DefaultLoginPageGeneratingFilter;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.security.web.firewall.StrictHttpFirewall;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Three filter chains: the authorization server's endpoints; the GraphQL API (stateless bearer
 * tokens, tenant bound at the edge); and the rest (login page, GraphiQL, health and metrics).
 */
@Configuration(proxyBeanMethods = false)
@EnableMethodSecurity
@EnableConfigurationProperties(SecurityProperties.class)
class SecurityConfiguration {

    private static final String FAILED_SIGN_IN = "/login?error";

    @Bean
    @Order(1)
    SecurityFilterChain authorizationServerChain(
            HttpSecurity http,
            OAuth2AuthorizationService authorizations,
            JwtDecoder ownDecoder,
            MemberLogins members,
            AuthorizationServerSettings settings)
            throws Exception {
        var authorizationServer = new OAuth2AuthorizationServerConfigurer();
        // API clients' tokens are not kept, so neither revocable nor introspectable one by one (UnrevocableTokens).
        var unrevocable = UnrevocableTokens.wrapping(authorizations, ownDecoder);
        http.securityMatcher(authorizationServer.getEndpointsMatcher())
                .with(
                        authorizationServer,
                        server -> server.oidc(Customizer.withDefaults())
                                // No code for a sign-in whose password is one-time or was set again since.
                                .authorizationEndpoint(endpoint ->
                                        endpoint.authenticationProviders(providers -> providers.forEach(provider -> {
                                            var codes = new CurrentPasswordCodes(members);
                                            if (provider
                                                    instanceof OAuth2AuthorizationCodeRequestAuthenticationProvider p) {
                                                p.setAuthorizationCodeGenerator(codes);
                                            } else if (provider
                                                    instanceof OAuth2AuthorizationConsentAuthenticationProvider p) {
                                                p.setAuthorizationCodeGenerator(codes);
                                            }
                                        })))
                                .tokenRevocationEndpoint(revocation -> revocation.authenticationProviders(unrevocable))
                                .tokenIntrospectionEndpoint(
                                        introspection -> introspection.authenticationProviders(unrevocable)))
                .addFilterAfter(
                        new PasswordChangedSignOut(settings.getAuthorizationEndpoint(), members),
                        SecurityContextHolderFilter.class)
                .authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
                .exceptionHandling(exceptions -> exceptions.defaultAuthenticationEntryPointFor(
                        new LoginUrlAuthenticationEntryPoint("/login"),
                        new MediaTypeRequestMatcher(MediaType.TEXT_HTML)))
                .oauth2ResourceServer(resourceServer -> resourceServer.jwt(Customizer.withDefaults()));
        return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain apiChain(
            HttpSecurity http,
            SecurityProperties properties,
            JwtDecoder ownDecoder,
            JdbcClient jdbc,
            ExternalIssuerDecoders externalDecoders,
            CallerStanding standing,
            ObjectProvider<Tracer> tracer)
            throws Exception {
        var tokens = new TokenAuthentication(properties.issuer(), ownDecoder, jdbc, externalDecoders);
        http.securityMatcher("/graphql", "/graphql/**")
                .authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable())
                .oauth2ResourceServer(resourceServer -> resourceServer
                        .bearerTokenResolver(new BearerHeaderTokens())
                        .authenticationManagerResolver(tokens.forRequests())
                        .authenticationEntryPoint(new BearerTokenRefusals()))
                .addFilterAfter(new TenantEdgeFilter(standing, tracer), BearerTokenAuthenticationFilter.class);
        return http.build();
    }

    /** A bean so that it hears of removed registrations. */
    @Bean
    ExternalIssuerDecoders externalIssuerDecoders(OutboundUrlPolicy outbound, ObjectProvider<Clock> clock) {
        return new ExternalIssuerDecoders(outbound, clock.getIfAvailable(Clock::systemUTC));
    }

    @Bean
    @Order(3)
    SecurityFilterChain webChain(HttpSecurity http, LoginThrottle throttle, SignInAudit audit) throws Exception {
        var failed = new SimpleUrlAuthenticationFailureHandler(FAILED_SIGN_IN);
        var signedIn = new SavedRequestAwareAuthenticationSuccessHandler();
        http.authorizeHttpRequests(requests -> requests.requestMatchers(
                                "/",
                                "/login",
                                PasswordChangeRequired.PAGE,
                                "/error",
                                "/graphiql",
                                "/graphiql/**",
                                "/actuator/health",
                                "/actuator/health/**",
                                "/actuator/prometheus",
                                "/actuator/info",
                                "/favicon.ico")
                        .permitAll()
                        .anyRequest()
                        .authenticated())
                .formLogin(form -> form.failureHandler((request, response, exception) -> {
                            if (exception instanceof PasswordChangeRequired oneTime) {
                                // The right one-time password: it opens the page where its member chooses theirs.
                                oneTime.sendToChoose(request, response);
                                return;
                            }
                            if (exception instanceof CredentialsExpiredException expired) {
                                // The right one-time password, but past its expiry: say so, not "Invalid credentials".
                                PasswordChangeRequired.sendRefused(expired.getMessage(), request, response);
                                return;
                            }
                            if (exception instanceof BadCredentialsException) {
                                // MemberPasswords counted it, under the member's name, if a member has it.
                                var typed = request.getParameter("username");
                                var username = typed == null ? null : typed.trim();
                                audit.failed(
                                        username,
                                        throttle.locked(username),
                                        request.getRemoteAddr(),
                                        request.getHeader("User-Agent"));
                            }
                            failed.onAuthenticationFailure(request, response, exception);
                        })
                        .successHandler((request, response, authentication) -> {
                            PasswordChangeRequired.forget(request);
                            throttle.succeeded(authentication.getName());
                            audit.signedIn(authentication.getPrincipal());
                            signedIn.onAuthenticationSuccess(request, response, authentication);
                        }))
                // Password managers find the change page from /.well-known/change-password.
                .passwordManagement(passwords -> passwords.changePasswordPage(PasswordChangeRequired.PAGE));
        // The login page shows its "Invalid credentials" only at the failure URL it was given, which
        // a failure handler of our own leaves unset: /login?error was a 404.
        @SuppressWarnings("unchecked")
        DefaultLoginPageConfigurer<HttpSecurity> loginPage = http.getConfigurer(DefaultLoginPageConfigurer.class);
        loginPage.withObjectPostProcessor(new ObjectPostProcessor<DefaultLoginPageGeneratingFilter>() {
            @Override
            public <O extends DefaultLoginPageGeneratingFilter> O postProcess(O page) {
                page.setFailureUrl(FAILED_SIGN_IN);
                return page;
            }
        });
        return http.build();
    }

    /**
     * Observes authentications, not every filter of the chain nor every {@code @PreAuthorize}
     * decision: those added about ten observations (and trace spans) to each API request, for
     * timings nobody reads. The request itself stays observed ({@code http.server.requests}, {@code
     * graphql.request}), and denials still surface as errors and authorization events.
     */
    @Bean
    SecurityObservationSettings securityObservations() {
        return SecurityObservationSettings.withDefaults()
                .shouldObserveRequests(false)
                .shouldObserveAuthorizations(false)
                .build();
    }

    @Bean
    MasterKey masterKey(SecurityProperties properties) {
        return MasterKey.parse(properties.masterKey(), properties.previousMasterKeys());
    }

    @Bean
    @DependsOnDatabaseInitialization
    SigningKeyStore signingKeyStore(JdbcClient jdbc, MasterKey masterKey) {
        var store = new SigningKeyStore(jdbc, masterKey);
        store.initialize();
        return store;
    }

    /** The first signing key, created once every bean exists and before the server takes requests. */
    @Bean
    SmartInitializingSingleton firstSigningKey(ObjectProvider<SigningKeyService> keys) {
        return () -> SystemActor.run(TenantId.PLATFORM, () -> keys.getObject().createFirstIfNone());
    }

    @Bean
    JwtDecoder ownJwtDecoder(SigningKeyStore keys, SecurityProperties properties) {
        var validator = JwtValidators.createDefaultWithIssuer(properties.issuer());
        var decoder = NimbusJwtDecoder.withJwkSource(keys.verificationKeys()).build();
        decoder.setJwtValidator(validator);
        return new VerifiedTokenCache(decoder, validator, keys::verifies);
    }

    /**
     * Spring's firewall with the same header rule (assigned characters, no controls but tab),
     * checked by a loop instead of its regular expression: the regex walked each character of
     * every bearer token, about a tenth of a small API request's CPU time.
     */
    @Bean
    HttpFirewall httpFirewall() {
        var firewall = new StrictHttpFirewall();
        firewall.setAllowedHeaderValues(SecurityConfiguration::allowedHeaderValue);
        return firewall;
    }

    static boolean allowedHeaderValue(String value) {
        for (int i = 0; i < value.length(); ) {
            int c = value.codePointAt(i);
            if (c < 0x20 ? c != '\t' : c >= 0x7f && !assignedNotControl(c)) {
                return false;
            }
            i += Character.charCount(c);
        }
        return true;
    }

    private static boolean assignedNotControl(int codePoint) {
        int type = Character.getType(codePoint);
        return type != Character.UNASSIGNED && type != Character.CONTROL;
    }

    @Bean
    AuthorizationServerSettings authorizationServerSettings(SecurityProperties properties) {
        return AuthorizationServerSettings.builder().issuer(properties.issuer()).build();
    }

    @Bean
    RegisteredClientRepository registeredClientRepository(JdbcClient jdbc, SecurityProperties properties) {
        return new ApiClientRegistrations(jdbc, properties);
    }

    @Bean
    OAuth2AuthorizationService authorizationService(ObjectProvider<Clock> clock) {
        return new TransientClientCredentialsAuthorizations(clock.getIfAvailable(Clock::systemUTC));
    }

    @Bean
    OAuth2TokenCustomizer<JwtEncodingContext> tokenClaims(SigningKeyStore keys, MemberLogins members) {
        return new TokenClaims(keys, members);
    }

    @Bean
    LoginThrottle loginThrottle(ObjectProvider<Clock> clock) {
        return new LoginThrottle(clock.getIfAvailable(Clock::systemUTC));
    }

    @Bean
    MemberLogins memberLogins(JdbcClient jdbc) {
        return new MemberLogins(jdbc);
    }

    @Bean
    SignInAudit signInAudit(
            AuditLog audit, TransactionTemplate tx, MemberLogins memberLogins, SecurityProperties properties) {
        return new SignInAudit(audit, tx, memberLogins, properties.issuer());
    }

    /** The login page's check of a member's password ({@link MemberPasswords}). */
    @Bean
    MemberPasswords memberPasswords(
            UserDetailsService memberLogins,
            PasswordEncoder passwordEncoder,
            LoginThrottle throttle,
            ObjectProvider<Clock> clock) {
        return new MemberPasswords(memberLogins, passwordEncoder, throttle, clock.getIfAvailable(Clock::systemUTC));
    }

    /**
     * Argon2id for people's passwords; SHA-256 for high-entropy API client secrets, which are
     * never "upgraded" to Argon2 (that would make every token request slow on purpose).
     */
    @Bean
    PasswordEncoder passwordEncoder() {
        var delegating = new DelegatingPasswordEncoder(
                "argon2",
                Map.of(
                        "argon2",
                        Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8(),
                        SecretDigest.ID,
                        new Sha256SecretEncoder()));
        return new PasswordEncoder() {
            @Override
            public String encode(CharSequence rawPassword) {
                return delegating.encode(rawPassword);
            }

            @Override
            public boolean matches(CharSequence rawPassword, String encodedPassword) {
                return delegating.matches(rawPassword, encodedPassword);
            }

            @Override
            public boolean upgradeEncoding(String encodedPassword) {
                return !encodedPassword.startsWith("{" + SecretDigest.ID + "}")
                        && delegating.upgradeEncoding(encodedPassword);
            }
        };
    }

    private static final class Sha256SecretEncoder implements PasswordEncoder {

        @Override
        public String encode(CharSequence rawPassword) {
            return SecretDigest.hex(rawPassword);
        }

        @Override
        public boolean matches(CharSequence rawPassword, String encodedPassword) {
            return SecretDigest.matches(rawPassword, encodedPassword);
        }
    }
}
