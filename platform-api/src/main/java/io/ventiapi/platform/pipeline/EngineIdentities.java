package io.ventiapi.platform.pipeline;

import io.ventiapi.engine.identity.IdentityParser;
import io.ventiapi.platform.project.ScanCredential;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a project's test identities into the engine's {@code --identity} arguments
 * (docs/engine/cli.md): comma-separated {@code key=value} pairs, commas and backslashes in values
 * escaped ({@link IdentityParser#escape}).
 */
final class EngineIdentities {

    private EngineIdentities() {}

    /**
     * The identity's argument.
     *
     * @throws IllegalArgumentException naming the identity if the engine cannot use it
     */
    static String argument(ScanCredential credential) {
        var settings = credential.settings();
        var pairs = new ArrayList<String>();
        pairs.add(pair("label", credential.name()));
        if (settings.role() != null) {
            pairs.add(pair("role", settings.role()));
        }
        switch (credential.kind()) {
            case API_KEY -> {
                pairs.add("type=apikey");
                pairs.add(pair("in", settings.apiKeyIn().name().toLowerCase(Locale.ROOT)));
                pairs.add(pair("name", settings.apiKeyName()));
                pairs.add(pair("value", credential.secret()));
            }
            case BEARER -> {
                pairs.add("type=bearer");
                pairs.add(pair("token", credential.secret()));
            }
            case BASIC -> {
                pairs.add("type=basic");
                pairs.add(pair("username", settings.username()));
                pairs.add(pair("password", credential.secret()));
            }
            case OAUTH2_CLIENT_CREDENTIALS -> {
                pairs.add("type=oauth2");
                pairs.add(pair("token-url", settings.tokenUrl()));
                pairs.add(pair("client-id", settings.clientId()));
                pairs.add(pair("client-secret", credential.secret()));
                if (settings.scope() != null && !settings.scope().isBlank()) {
                    pairs.add(pair("scope", settings.scope()));
                }
            }
            case LOGIN_FLOW -> loginFlow(credential, pairs);
        }
        return String.join(",", pairs);
    }

    static List<String> arguments(List<ScanCredential> credentials) {
        return credentials.stream().map(EngineIdentities::argument).toList();
    }

    /** The engine logs in with a user field and a password field: the one whose name says "pass" is the password. */
    private static void loginFlow(ScanCredential credential, List<String> pairs) {
        var settings = credential.settings();
        Map.Entry<String, String> user = null;
        Map.Entry<String, String> password = null;
        for (var field : credential.loginFields().entrySet()) {
            if (field.getKey().toLowerCase(Locale.ROOT).contains("pass")) {
                password = field;
            } else {
                user = field;
            }
        }
        if (credential.loginFields().size() != 2 || user == null || password == null) {
            throw new IllegalArgumentException(
                    "identity " + credential.name()
                            + ": a login flow needs exactly two login fields, a user name and a password (named like 'password')");
        }
        pairs.add("type=login");
        pairs.add(pair("method", settings.loginMethod() == null ? "POST" : settings.loginMethod()));
        pairs.add(pair("path", settings.loginPath()));
        pairs.add(pair("user-field", user.getKey()));
        pairs.add(pair("username", user.getValue()));
        pairs.add(pair("password-field", password.getKey()));
        pairs.add(pair("password", password.getValue()));
        if (settings.tokenPointer() != null && !settings.tokenPointer().isBlank()) {
            pairs.add(pair("token-pointer", settings.tokenPointer()));
        }
    }

    private static String pair(String key, String value) {
        if (value == null) {
            throw new IllegalArgumentException("identity setting " + key + " is missing");
        }
        return key + "=" + IdentityParser.escape(value);
    }
}
