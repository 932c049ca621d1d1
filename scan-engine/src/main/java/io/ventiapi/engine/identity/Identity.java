package io.ventiapi.engine.identity;

import java.util.Map;
import java.util.Objects;

/**
 * Who the scan acts as. A scan may use several identities; {@link IdentitySelector} picks one per operation
 * from their security schemes.
 */
public sealed interface Identity {

    /** A short label for logs and evidence, e.g. {@code alice}. */
    String label();

    /** No credentials at all. */
    record Anonymous(String label) implements Identity {}

    /** A static API key in a header, query parameter or cookie. */
    record ApiKey(String label, Location in, String name, String value) implements Identity {
        public ApiKey {
            Objects.requireNonNull(in, "in");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }

        /** Where the key travels. */
        public enum Location {
            HEADER,
            QUERY,
            COOKIE
        }
    }

    /**
     * A static token, by default sent as {@code Authorization: Bearer …}; some APIs want another header (e.g.
     * {@code X-Access-Token}) or scheme ({@code Token}, or none).
     */
    record Bearer(String label, String token, String header, String scheme) implements Identity {
        public Bearer {
            Objects.requireNonNull(token, "token");
            header = header == null ? "Authorization" : header;
            scheme = scheme == null ? "Bearer" : scheme;
        }

        public Bearer(String label, String token) {
            this(label, token, null, null);
        }
    }

    /** HTTP basic authentication. */
    record Basic(String label, String username, String password) implements Identity {
        public Basic {
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(password, "password");
        }
    }

    /**
     * OAuth2 client credentials: a token is fetched from {@code tokenUrl} and fetched again when it expires.
     * The token URL is the one request the engine sends outside the target origin, because identity
     * providers usually live elsewhere; it carries no probe, only the configured credentials.
     */
    record OAuth2ClientCredentials(String label, String tokenUrl, String clientId, String clientSecret, String scope)
            implements Identity {
        public OAuth2ClientCredentials {
            Objects.requireNonNull(tokenUrl, "tokenUrl");
            Objects.requireNonNull(clientId, "clientId");
            Objects.requireNonNull(clientSecret, "clientSecret");
        }
    }

    /**
     * A login operation of the target itself: a JSON body (or, with {@code form}, an HTML-form body) with the
     * given fields is sent to {@code path} and the
     * token is read from the response at {@code tokenPointer} (a JSON pointer), or from the first field named
     * like a token when the pointer is null. The token is then sent like a {@link Bearer} token, in
     * {@code header} after {@code scheme}.
     */
    record LoginFlow(
            String label,
            String method,
            String path,
            Map<String, String> fields,
            String tokenPointer,
            String header,
            String scheme,
            boolean form)
            implements Identity {
        public LoginFlow {
            Objects.requireNonNull(path, "path");
            // In the given order: some form handlers read fields positionally.
            fields = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fields));
            header = header == null ? "Authorization" : header;
            scheme = scheme == null ? "Bearer" : scheme;
        }

        public LoginFlow(String label, String method, String path, Map<String, String> fields, String tokenPointer) {
            this(label, method, path, fields, tokenPointer, null, null, false);
        }
    }
}
