package io.ventiapi.engine.check.exposure;

import io.ventiapi.engine.Confidence;
import io.ventiapi.engine.Evidence;
import io.ventiapi.engine.OwaspCategory;
import io.ventiapi.engine.Severity;
import io.ventiapi.engine.check.Baseline;
import io.ventiapi.engine.check.Check;
import io.ventiapi.engine.check.Rule;
import io.ventiapi.engine.check.ScanContext;
import io.ventiapi.engine.http.FieldNames;
import io.ventiapi.engine.http.Redactor;
import io.ventiapi.engine.plan.OperationKinds;
import io.ventiapi.engine.plan.PlannedOperation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * API3 excessive data exposure: secrets in successful JSON responses (passwords, password hashes, private
 * keys, API secrets, card numbers), found by field name and confirmed by the value's shape. Tokens are
 * expected from login and token operations and not reported there; API keys and secrets of the object a POST
 * creates ({@code POST /api-keys}) are shown to their creator once by design and not reported there.
 */
public final class SensitiveDataCheck implements Check {

    static final Rule SENSITIVE = new Rule(
            "exposure.sensitive-field",
            "Response exposes a secret or sensitive field",
            OwaspCategory.API3,
            200,
            Severity.HIGH,
            "A successful response contains a credential, hash, key or card number that the client has no need for.",
            "Return explicit response models (DTOs) that list the fields a client may see; never serialize persistence entities directly.");

    private static final int MAX_DEPTH = 5;
    private static final int MAX_ITEMS = 20;
    private static final Pattern SECRET_NAME = Pattern.compile(
            ".*(password|passwd|pwd|passwordhash|pwdhash|passwordsalt|salt|secret|privatekey|secretkey|apikey|ssn|socialsecuritynumber|cvv|cvc)");
    /** Names that always mean a credential, whoever stored the value. */
    private static final Pattern CREDENTIAL_NAME = Pattern.compile(
            ".*(password|passwd|pwd|hash|salt|privatekey|secretkey|clientsecret|apikey|apisecret|ssn|socialsecuritynumber|cvv|cvc).*");

    /** Secrets nobody is handed, not even when the object holding them is created. */
    private static final Pattern NEVER_ISSUED_NAME =
            Pattern.compile(".*(password|passwd|pwd|hash|salt|privatekey|ssn|socialsecuritynumber|cvv|cvc).*");
    /** Top-level fields of an envelope around the created object: outcome, message, request id. */
    private static final Pattern ENVELOPE_FIELD =
            Pattern.compile("code|status|statuscode|success|ok|message|msg|result|requestid|request_id|timestamp");

    /**
     * Token names that may hold a credential: any name ending in token or JWT (access, refresh, reset,
     * verification, invite, personal and provider tokens alike: a leaked password-reset token is account
     * takeover), or a session id. The few tokens that are no credentials are listed in
     * {@link #NOT_CREDENTIAL_TOKEN}.
     */
    private static final Pattern CREDENTIAL_TOKEN_NAME = Pattern.compile(".*(token|jwt|sessionid|sessid|sessionkey)$");
    /**
     * Tokens that page, sync or guard forms, or address devices (nextPageToken, NextToken, continuationToken,
     * syncToken, csrfToken, deviceToken): opaque by design and handed to every client.
     */
    private static final Pattern NOT_CREDENTIAL_TOKEN = Pattern.compile(
            ".*(page|next|prev|cursor|continuation|resume|sync|delta|csrf|xsrf|nonce|device|push|fcm|apns|etag).*");

    private static final Pattern TOKEN_LIKE_NAME = Pattern.compile(".*(token|jwt|auth|session).*");
    private static final Pattern JWT_SHAPE =
            Pattern.compile("^(Bearer\\s+)?eyJ[A-Za-z0-9_-]{5,}\\.eyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]*$");
    private static final Pattern AUTH_OPERATION = Pattern.compile(
            "(?i).*(login|logon|signin|sign-in|token|oauth|auth|session|register|signup|sign-up|api-?keys?|credentials).*");
    private static final Pattern MASKED = Pattern.compile("^[*xX•#.\\-]+$|^\\*+.{0,4}$");
    private static final Pattern BCRYPT_OR_CRYPT =
            Pattern.compile("^\\$(2[abxy]?|5|6|argon2i?d?|pbkdf2[-\\w]*)\\$.{20,}");
    private static final Pattern PRIVATE_KEY = Pattern.compile("-----BEGIN ([A-Z]+ )?PRIVATE KEY-----");

    @Override
    public List<Rule> rules() {
        return List.of(SENSITIVE);
    }

    @Override
    public void checkOperation(ScanContext context, Baseline baseline) {
        if (!baseline.response().isSuccess()) {
            return;
        }
        var json = baseline.response().json();
        if (json.isEmpty()) {
            return;
        }
        boolean authOperation = isAuthOperation(baseline.operation());
        JsonNode created = issuesSecrets(baseline.operation()) ? createdObject(json.get()) : null;
        Map<String, String> found = new LinkedHashMap<>();
        walk(json.get(), authOperation, created, found, 0);
        found.keySet().removeIf(field -> isUserContent(context, field));
        PlannedOperation op = baseline.operation();
        // Every finding's excerpt masks every reported field: each finding shows the whole response.
        var excerpt = Redactor.excerpt(baseline.response(), found.keySet());
        found.forEach((field, why) -> context.report(SENSITIVE.finding(
                Confidence.FIRM,
                op.method(),
                op.pathTemplate(),
                "response:" + field,
                new Evidence(List.of(excerpt), "The response field \"" + field + "\" holds " + why + "."))));
    }

    /**
     * @param created the object this POST just created, whose own keys and secrets are handed to their creator by
     *     design; null when the operation creates none
     */
    private static void walk(
            JsonNode node, boolean authOperation, JsonNode created, Map<String, String> found, int depth) {
        if (depth > MAX_DEPTH) {
            return;
        }
        if (node.isArray()) {
            for (int i = 0; i < Math.min(MAX_ITEMS, node.size()); i++) {
                walk(node.get(i), authOperation, created, found, depth + 1);
            }
            return;
        }
        if (!node.isObject()) {
            return;
        }
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            JsonNode value = field.getValue();
            if (value.isString() || value.isNumber()) {
                String why =
                        classify(field.getKey(), value.asString(), value.isNumber(), authOperation, node == created);
                if (why != null) {
                    found.putIfAbsent(field.getKey(), why);
                }
            } else {
                walk(value, authOperation, created, found, depth + 1);
            }
        }
    }

    /** Why the value is sensitive, or null; for a field of no object the operation just created. */
    static String classify(String name, String value, boolean authOperation) {
        return classify(name, value, authOperation, false);
    }

    /**
     * Why the value is sensitive, or null.
     *
     * @param issuedHere whether the field belongs to the object the operation just created: an API key, client
     *     secret or webhook secret is shown to its creator once, by design; passwords, hashes and private keys
     *     are not
     */
    static String classify(String name, String value, boolean authOperation, boolean issuedHere) {
        return classify(name, value, false, authOperation, issuedHere);
    }

    /**
     * @param number whether the value was a JSON number: ids and timestamps are numbers, so a number is taken for a
     *     card number only under a name that is a card number's and nothing more ({@code pan}, not
     *     {@code oldCardNo})
     */
    private static String classify(
            String name, String value, boolean number, boolean authOperation, boolean issuedHere) {
        String key = name.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
        String trimmed = value.trim();
        if (trimmed.length() < 4 || MASKED.matcher(trimmed).matches()) {
            return null;
        }
        if (BCRYPT_OR_CRYPT.matcher(trimmed).find()) {
            return "a password hash";
        }
        if (PRIVATE_KEY.matcher(trimmed).find()) {
            return "a private key";
        }
        if ((number ? FieldNames.isExactlyCardNumber(name) : FieldNames.isCardNumber(name)) && isCardNumber(trimmed)) {
            return "a payment card number";
        }
        if (SECRET_NAME.matcher(key).matches()) {
            return issuedHere && !NEVER_ISSUED_NAME.matcher(key).matches() ? null : "a secret (" + name + ")";
        }
        if (!authOperation && isCredentialToken(key, trimmed)) {
            return "a credential token outside any login or token operation";
        }
        return null;
    }

    /** A token by its name (a credential name, not a paging or form token) and length, or a JWT by its shape. */
    private static boolean isCredentialToken(String key, String value) {
        if (NOT_CREDENTIAL_TOKEN.matcher(key).matches()) {
            return false;
        }
        return (CREDENTIAL_TOKEN_NAME.matcher(key).matches() && value.length() >= 16)
                || (TOKEN_LIKE_NAME.matcher(key).matches()
                        && JWT_SHAPE.matcher(value).matches());
    }

    /**
     * 13 to 19 digits (spaces and dashes aside) that start as a card network's numbers do and pass the Luhn check:
     * one number in ten passes Luhn, so without the prefix every tenth id under a card's name would be one.
     */
    static boolean isCardNumber(String value) {
        String digits = value.replace(" ", "").replace("-", "");
        if (!digits.matches("\\d{13,19}") || !fromACardNetwork(digits)) {
            return false;
        }
        int sum = 0;
        boolean alternate = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int n = digits.charAt(i) - '0';
            if (alternate) {
                n *= 2;
                if (n > 9) {
                    n -= 9;
                }
            }
            sum += n;
            alternate = !alternate;
        }
        return sum % 10 == 0;
    }

    /**
     * The issuer number ranges of a card network: numbers from {@code from} to {@code to} in their first digits
     * (as many as {@code from} has), and the lengths the network's numbers have.
     */
    private record CardNetwork(int from, int to, int minLength, int maxLength) {

        boolean issued(String digits) {
            int prefixLength = Integer.toString(from).length();
            int prefix = Integer.parseInt(digits.substring(0, prefixLength));
            return prefix >= from && prefix <= to && digits.length() >= minLength && digits.length() <= maxLength;
        }
    }

    private static final List<CardNetwork> CARD_NETWORKS = List.of(
            new CardNetwork(4, 4, 13, 19), // Visa
            new CardNetwork(51, 55, 16, 16), // Mastercard
            new CardNetwork(2221, 2720, 16, 16), // Mastercard
            new CardNetwork(34, 34, 15, 15), // American Express
            new CardNetwork(37, 37, 15, 15), // American Express
            new CardNetwork(6011, 6011, 16, 19), // Discover
            new CardNetwork(644, 649, 16, 19), // Discover
            new CardNetwork(65, 65, 16, 19), // Discover, RuPay
            new CardNetwork(300, 305, 14, 19), // Diners Club
            new CardNetwork(36, 36, 14, 19), // Diners Club
            new CardNetwork(38, 39, 16, 19), // Diners Club
            new CardNetwork(3528, 3589, 16, 19), // JCB
            new CardNetwork(62, 62, 16, 19), // UnionPay
            new CardNetwork(2200, 2204, 16, 19), // Mir
            new CardNetwork(5018, 5018, 13, 19), // Maestro
            new CardNetwork(5020, 5020, 13, 19), // Maestro
            new CardNetwork(5038, 5038, 13, 19), // Maestro
            new CardNetwork(5893, 5893, 13, 19), // Maestro
            new CardNetwork(6304, 6304, 13, 19), // Maestro
            new CardNetwork(6759, 6759, 13, 19), // Maestro
            new CardNetwork(6761, 6763, 13, 19)); // Maestro

    private static boolean fromACardNetwork(String digits) {
        return CARD_NETWORKS.stream().anyMatch(network -> network.issued(digits));
    }

    /**
     * A field named only like a secret ({@code secret}, {@code secretNote}) that clients store themselves through a
     * write of the API, other than login and registration: content its owner reads back, not a credential of the
     * server. Who else may read it is the object-level authorization check's question. Credentials (passwords,
     * hashes, keys) are never user content.
     */
    static boolean isUserContent(ScanContext context, String field) {
        String key = field.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
        if (CREDENTIAL_NAME.matcher(key).matches()) {
            return false;
        }
        return context.plan().operations().stream()
                .filter(op -> !op.method().equals("GET")
                        && op.body() != null
                        && !OperationKinds.isLogin(op)
                        && !OperationKinds.isRegistration(op)
                        && !OperationKinds.isPasswordReset(op))
                .map(op -> context.plan().schemas().resolve(op.body().schema()))
                .anyMatch(schema -> schema != null
                        && schema.getProperties() != null
                        && schema.getProperties().containsKey(field));
    }

    /**
     * A POST that creates something (not a search, login or password reset): the keys and secrets of what it
     * creates ({@code POST /api-keys}, {@code POST /oauth/clients}, {@code POST /webhooks}) can only be shown
     * now, to the caller who asked for them.
     */
    private static boolean issuesSecrets(PlannedOperation op) {
        return op.method().equals("POST")
                && !OperationKinds.isQueryLikePost(op)
                && !OperationKinds.isLogin(op)
                && !OperationKinds.isPasswordReset(op)
                && !OperationKinds.isPasswordChange(op);
    }

    /**
     * The object a creating POST answers with: the top-level object when it has fields of its own, or the one
     * object an envelope of outcome fields wraps ({@code {"success":true,"data":{…}}}, {@code {"webhook":{…}}}).
     * Objects nested in it (an order's customer) were not created by this POST. Null when there is none.
     */
    private static JsonNode createdObject(JsonNode answer) {
        if (!answer.isObject()) {
            return null;
        }
        JsonNode wrapped = null;
        for (Map.Entry<String, JsonNode> field : answer.properties()) {
            JsonNode value = field.getValue();
            if (value.isObject()) {
                if (wrapped != null) {
                    return answer;
                }
                wrapped = value;
            } else if (!ENVELOPE_FIELD
                    .matcher(field.getKey().toLowerCase(Locale.ROOT))
                    .matches()) {
                return answer;
            }
        }
        return wrapped == null ? answer : wrapped;
    }

    private static boolean isAuthOperation(PlannedOperation op) {
        return AUTH_OPERATION.matcher(op.pathTemplate()).matches()
                || AUTH_OPERATION.matcher(op.id()).matches();
    }
}
