/**
 * Identity: the built-in OAuth2 authorization server (client credentials for API clients,
 * authorization code + PKCE for people), the resource server that trusts it and each tenant's
 * external issuers, and the edge filter that binds the caller's tenant to the request.
 */
package io.ventiapi.platform.security;
