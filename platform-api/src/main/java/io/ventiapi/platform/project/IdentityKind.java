package io.ventiapi.platform.project;

/** How a test identity authenticates against the target. */
public enum IdentityKind {
    /** A static key in a header, query parameter or cookie. */
    API_KEY,
    /** A static bearer token. */
    BEARER,
    /** HTTP basic authentication. */
    BASIC,
    /** OAuth2 client credentials, exchanged for a token at a token URL. */
    OAUTH2_CLIENT_CREDENTIALS,
    /** A login operation of the target itself, whose response carries the token. */
    LOGIN_FLOW
}
