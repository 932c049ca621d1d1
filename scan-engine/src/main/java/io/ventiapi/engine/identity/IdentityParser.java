package io.ventiapi.engine.identity;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads an identity from its command-line form: comma-separated {@code key=value} pairs, where {@code \,} is a
 * literal comma and {@code \\} a literal backslash (any other backslash stands for itself). Examples:
 *
 * <pre>
 * type=bearer,token=eyJ...[,header=X-Access-Token][,scheme=Token]   (scheme= for a bare token)
 * type=apikey,in=header,name=X-API-Key,value=s3cret
 * type=basic,username=alice,password=pw
 * type=oauth2,token-url=https://idp.example.com/token,client-id=scanner,client-secret=pw,scope=read
 * type=login,path=/api/login,username=alice,password=pw[,token-pointer=/token][,user-field=email][,header=…][,scheme=…][,format=form]
 * type=none
 * </pre>
 *
 * <p>Any identity may carry {@code name=alice} (or {@code label=alice}; for API keys only {@code label=}, as
 * {@code name=} is the key's name), the name used in evidence and to tell identities apart, and {@code role=user} / {@code role=admin}, the role the access-control checks compare by.
 */
public final class IdentityParser {

    private IdentityParser() {}

    /**
     * Parses one identity.
     *
     * @throws IllegalArgumentException with a message naming the missing or unknown part
     */
    public static Identity parse(String text) {
        Map<String, String> fields = pairs(text);
        String type = fields.getOrDefault("type", "").toLowerCase(Locale.ROOT);
        // For API keys name= is the key's parameter name, so only label= names the identity there.
        boolean apiKey = type.equals("apikey") || type.equals("api-key");
        String label = fields.getOrDefault("label", apiKey ? type : fields.getOrDefault("name", type));
        return switch (type) {
            case "none", "anonymous" -> new Identity.Anonymous(label);
            case "bearer" ->
                new Identity.Bearer(label, required(fields, "token", type), fields.get("header"), fields.get("scheme"));
            case "basic" ->
                new Identity.Basic(label, required(fields, "username", type), required(fields, "password", type));
            case "apikey", "api-key" ->
                new Identity.ApiKey(
                        label,
                        location(fields.getOrDefault("in", "header")),
                        required(fields, "name", type),
                        required(fields, "value", type));
            case "oauth2", "client-credentials" ->
                new Identity.OAuth2ClientCredentials(
                        label,
                        required(fields, "token-url", type),
                        required(fields, "client-id", type),
                        required(fields, "client-secret", type),
                        fields.get("scope"));
            case "login" -> {
                Map<String, String> body = new LinkedHashMap<>();
                body.put(fields.getOrDefault("user-field", "username"), required(fields, "username", type));
                body.put(fields.getOrDefault("password-field", "password"), required(fields, "password", type));
                yield new Identity.LoginFlow(
                        label,
                        fields.getOrDefault("method", "POST"),
                        required(fields, "path", type),
                        body,
                        fields.get("token-pointer"),
                        fields.get("header"),
                        fields.get("scheme"),
                        "form".equalsIgnoreCase(fields.getOrDefault("format", "json")));
            }
            case "" ->
                throw new IllegalArgumentException(
                        "identity '" + text + "' has no type= (none, bearer, basic, apikey, oauth2 or login)");
            default ->
                throw new IllegalArgumentException(
                        "unknown identity type '" + type + "' (expected none, bearer, basic, apikey, oauth2 or login)");
        };
    }

    /** The {@code role=} of an identity's command-line form, or null when it has none. */
    public static String role(String text) {
        String role = pairs(text).get("role");
        return role == null || role.isBlank() ? null : role.trim();
    }

    private static Identity.ApiKey.Location location(String in) {
        return switch (in.toLowerCase(Locale.ROOT)) {
            case "header" -> Identity.ApiKey.Location.HEADER;
            case "query" -> Identity.ApiKey.Location.QUERY;
            case "cookie" -> Identity.ApiKey.Location.COOKIE;
            default ->
                throw new IllegalArgumentException("an API key goes in a header, query or cookie, not '" + in + "'");
        };
    }

    private static String required(Map<String, String> fields, String key, String type) {
        String value = fields.get(key);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("a " + type + " identity needs " + key + "=…");
        }
        return value;
    }

    /** One {@code key=value} of an identity's command-line form, unescaped, or null when it has none. */
    public static String option(String text, String key) {
        return pairs(text).get(key);
    }

    /** {@code value} escaped for an identity's command-line form: its commas and backslashes. */
    public static String escape(String value) {
        return value.replace("\\", "\\\\").replace(",", "\\,");
    }

    private static Map<String, String> pairs(String text) {
        Map<String, String> fields = new LinkedHashMap<>();
        StringBuilder part = new StringBuilder();
        for (int i = 0; i <= text.length(); i++) {
            char c = i < text.length() ? text.charAt(i) : ',';
            if (c == '\\' && i + 1 < text.length() && (text.charAt(i + 1) == ',' || text.charAt(i + 1) == '\\')) {
                part.append(text.charAt(i + 1));
                i++;
            } else if (c == ',') {
                if (!part.isEmpty()) {
                    int eq = part.indexOf("=");
                    if (eq <= 0) {
                        throw new IllegalArgumentException("identity part '" + part + "' is not key=value");
                    }
                    fields.put(part.substring(0, eq).trim().toLowerCase(Locale.ROOT), part.substring(eq + 1));
                }
                part.setLength(0);
            } else {
                part.append(c);
            }
        }
        return fields;
    }
}
