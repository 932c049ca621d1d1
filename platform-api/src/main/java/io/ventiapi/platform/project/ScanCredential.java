package io.ventiapi.platform.project;

import java.util.Map;

/**
 * A test identity with its secret opened, for the scan pipeline to hand to a scanner; never
 * returned through the API and never logged ({@link #toString()} leaves the secrets out).
 *
 * @param secret the API key, bearer token, password or client secret; null for a login flow
 * @param loginFields LOGIN_FLOW: the fields of the login request body
 */
public record ScanCredential(
        String name, IdentityKind kind, IdentitySettings settings, String secret, Map<String, String> loginFields) {

    public ScanCredential {
        loginFields = loginFields == null ? Map.of() : Map.copyOf(loginFields);
    }

    @Override
    public String toString() {
        return "ScanCredential[" + name + ", " + kind + "]";
    }
}
