package io.ventiapi.platform.project;

/**
 * The non-secret part of a test identity; which fields apply depends on its {@link IdentityKind}.
 *
 * @param apiKeyIn API_KEY: where the key travels
 * @param apiKeyName API_KEY: the header, query parameter or cookie name
 * @param username BASIC: the user name
 * @param tokenUrl OAUTH2_CLIENT_CREDENTIALS: where tokens are fetched
 * @param clientId OAUTH2_CLIENT_CREDENTIALS: the client id
 * @param scope OAUTH2_CLIENT_CREDENTIALS: the scope asked for, if any
 * @param loginMethod LOGIN_FLOW: the HTTP method of the login operation
 * @param loginPath LOGIN_FLOW: the path of the login operation on the target
 * @param tokenPointer LOGIN_FLOW: a JSON pointer to the token in the login response, if not the
 *     first token-like field
 * @param role any kind: what the identity may do, e.g. {@code user} or {@code admin}. Scans
 *     compare identities of one role with each other (object-level authorization) and try the
 *     operations an {@code admin}-like role uses with the others (function-level authorization)
 */
public record IdentitySettings(
        ApiKeyLocation apiKeyIn,
        String apiKeyName,
        String username,
        String tokenUrl,
        String clientId,
        String scope,
        String loginMethod,
        String loginPath,
        String tokenPointer,
        String role) {

    /** The same settings with this role. */
    public IdentitySettings withRole(String role) {
        return new IdentitySettings(
                apiKeyIn, apiKeyName, username, tokenUrl, clientId, scope, loginMethod, loginPath, tokenPointer, role);
    }
}
