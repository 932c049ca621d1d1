package io.ventiapi.platform.project;

import java.util.Map;

/**
 * A test identity as a caller gives it. {@code secret} (the API key, bearer token, password or
 * client secret) and {@code loginFields} (LOGIN_FLOW: the body of the login request) are sealed
 * at rest; on an update, leaving both out keeps what is stored for the identity of that name.
 */
public record IdentityDraft(
        String name, IdentityKind kind, IdentitySettings settings, String secret, Map<String, String> loginFields) {

    /** Whether the draft carries secret material (otherwise an update keeps the stored one). */
    public boolean hasSecret() {
        return (secret != null && !secret.isEmpty()) || (loginFields != null && !loginFields.isEmpty());
    }

    @Override
    public String toString() {
        // Drafts can end up in logs and exception messages; their secrets must not.
        return "IdentityDraft[name=" + name + ", kind=" + kind + ", settings=" + settings + "]";
    }
}
