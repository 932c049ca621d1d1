package io.ventiapi.platform.security.internal;

import io.ventiapi.platform.common.ErrorCode;
import io.ventiapi.platform.graphql.TransportErrors;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.web.AuthenticationEntryPoint;

/**
 * Answers an API request without a valid bearer token as Spring's resource server does (status and
 * {@code WWW-Authenticate}), with a GraphQL response as its body instead of none, like every other
 * answer of {@code /graphql}.
 */
public final class BearerTokenRefusals implements AuthenticationEntryPoint {

    private final BearerTokenAuthenticationEntryPoint bearer = new BearerTokenAuthenticationEntryPoint();

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException refused)
            throws IOException {
        bearer.commence(request, response, refused);
        var status = response.getStatus();
        if (status == HttpServletResponse.SC_BAD_REQUEST) {
            TransportErrors.write(
                    response,
                    status,
                    "the Authorization header is malformed: send Authorization: Bearer <token>",
                    Map.of("code", ErrorCode.INVALID_INPUT.name()));
        } else if (status == HttpServletResponse.SC_FORBIDDEN) {
            TransportErrors.write(
                    response, status, "the token's scopes do not allow this", Map.of("code", "FORBIDDEN"));
        } else {
            TransportErrors.write(
                    response,
                    status,
                    refused instanceof OAuth2AuthenticationException
                            ? "the bearer token is invalid, expired or not for this platform"
                            : "no bearer token: send Authorization: Bearer <token>",
                    Map.of("code", "UNAUTHENTICATED"));
        }
    }
}
