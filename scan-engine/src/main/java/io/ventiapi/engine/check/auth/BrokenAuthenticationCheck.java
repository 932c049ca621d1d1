package io.ventiapi.engine.check.auth;

import io.ventiapi.engine.Confidence;
import io.ventiapi.engine.Evidence;
import io.ventiapi.engine.OwaspCategory;
import io.ventiapi.engine.Severity;
import io.ventiapi.engine.check.Baseline;
import io.ventiapi.engine.check.Check;
import io.ventiapi.engine.check.Rule;
import io.ventiapi.engine.check.ScanContext;
import io.ventiapi.engine.http.ProbeResponse;
import io.ventiapi.engine.http.Redactor;
import io.ventiapi.engine.identity.Credentials;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * API2 Broken Authentication: for every operation the document marks as secured and that answered the primary
 * identity with 2xx, tries no credentials, a garbage token, and (for JWTs) {@code alg: none}, a stripped
 * signature and a token expired for longer than any default clock-skew leeway. It stops at the first weakness
 * so each operation gets its most basic flaw reported once. Every acceptance is confirmed by repeating the
 * probe.
 */
public final class BrokenAuthenticationCheck implements Check {

    private static final String REMEDIATION_JWT = "Verify JWTs with a maintained library configured with an explicit "
            + "algorithm allow-list (never 'none'), the expected key, and exp/nbf validation.";

    static final Rule NO_CREDENTIALS = new Rule(
            "auth.no-credentials",
            "Secured operation answers without credentials",
            OwaspCategory.API2,
            306,
            Severity.HIGH,
            "The document requires authentication for this operation, but it answers 2xx to a request with no credentials.",
            "Enforce authentication on every secured route (deny by default in the framework's security configuration).");
    static final Rule INVALID_TOKEN = new Rule(
            "auth.invalid-token",
            "Secured operation accepts an invalid credential",
            OwaspCategory.API2,
            287,
            Severity.HIGH,
            "The operation answers 2xx to a made-up credential: it checks that a credential is present, not that it is valid.",
            "Validate every credential (signature, issuer, audience, expiry, revocation) before serving the request.");
    static final Rule ALG_NONE = new Rule(
            "auth.jwt-alg-none",
            "JWT with alg 'none' accepted",
            OwaspCategory.API2,
            347,
            Severity.CRITICAL,
            "The operation accepts an unsigned JWT (alg 'none'): anyone can forge a token for any user.",
            REMEDIATION_JWT);
    static final Rule SIGNATURE_NOT_VERIFIED = new Rule(
            "auth.jwt-signature-not-verified",
            "JWT signature not verified",
            OwaspCategory.API2,
            347,
            Severity.CRITICAL,
            "The operation accepts a JWT whose signature was removed: claims can be changed at will.",
            REMEDIATION_JWT);
    static final Rule EXPIRED_ACCEPTED = new Rule(
            "auth.jwt-expired-accepted",
            "Expired JWT accepted",
            OwaspCategory.API2,
            613,
            Severity.MEDIUM,
            "The operation accepts a JWT whose exp claim passed more than 5 minutes ago, beyond any default clock-skew allowance: stolen tokens never stop working.",
            "Reject tokens whose exp is in the past (allow at most a small clock skew).");

    /**
     * How long past its {@code exp} a token must be before an accepting API counts as not checking expiry: JWT
     * libraries allow clock skew by default (.NET 5 minutes, Spring Security 60 seconds), and accepting a token
     * within it is configuration, not a flaw. A token expired less long ago is not sent.
     */
    static final Duration EXPIRY_LEEWAY = Duration.ofMinutes(5);

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    @Override
    public List<Rule> rules() {
        return List.of(NO_CREDENTIALS, INVALID_TOKEN, ALG_NONE, SIGNATURE_NOT_VERIFIED, EXPIRED_ACCEPTED);
    }

    @Override
    public void checkOperation(ScanContext context, Baseline baseline) {
        if (!baseline.identity().isAuthenticated()
                || !baseline.response().isSuccess()
                || !context.requiresAuthentication(baseline)) {
            return;
        }
        if (tryCredentials(context, baseline, Credentials.none(), NO_CREDENTIALS, "no credentials at all")) {
            return;
        }
        Credentials real = baseline.identity().credentials();
        if (tryCredentials(
                context,
                baseline,
                baseline.identity().invalidLookalike(),
                INVALID_TOKEN,
                "a random, invalid credential")) {
            return;
        }
        String token = real.bearerToken();
        Optional<Jwt> jwt = Jwt.parse(token);
        if (jwt.isEmpty()) {
            return;
        }
        for (String none : List.of("none", "None", "NONE", "nOnE")) {
            if (tryCredentials(
                    context,
                    baseline,
                    real.withToken(jwt.get().withAlgorithm(none)),
                    ALG_NONE,
                    "the same JWT re-encoded with alg '" + none + "' and no signature")) {
                return;
            }
        }
        if (tryCredentials(
                context,
                baseline,
                real.withToken(jwt.get().withoutSignature()),
                SIGNATURE_NOT_VERIFIED,
                "the same JWT with its signature removed")) {
            return;
        }
        if (tryCredentials(
                context,
                baseline,
                real.withToken(Jwt.randomLookalike()),
                SIGNATURE_NOT_VERIFIED,
                "a well-formed HS256 JWT signed with a random key")) {
            return;
        }
        if (tryCredentials(
                context,
                baseline,
                real.withToken(jwt.get().withTamperedClaims()),
                SIGNATURE_NOT_VERIFIED,
                "the same JWT with its claims changed and the old signature kept")) {
            return;
        }
        String expired = context.expiredToken();
        if (expired != null && Jwt.parse(expired).map(Jwt::isExpired).orElse(false)) {
            tryCredentials(
                    context,
                    baseline,
                    real.withToken(expired),
                    EXPIRED_ACCEPTED,
                    "a correctly signed JWT whose exp passed more than " + EXPIRY_LEEWAY.toMinutes() + " minutes ago");
        }
    }

    /** Sends the baseline with other credentials twice; reports when both answers look like the real one. */
    private static boolean tryCredentials(
            ScanContext context, Baseline baseline, Credentials credentials, Rule rule, String what) {
        ProbeResponse first = context.send(baseline.request(), credentials);
        if (!context.servedLike(baseline, first)) {
            return false;
        }
        ProbeResponse second = context.send(baseline.request(), credentials);
        if (!context.servedLike(baseline, second)) {
            return false;
        }
        var op = baseline.operation();
        context.report(rule.finding(
                Confidence.CONFIRMED,
                op.method(),
                op.pathTemplate(),
                null,
                new Evidence(
                        List.of(Redactor.excerpt(first), Redactor.excerpt(baseline.response())),
                        "Sent with " + what + ", the operation answered HTTP " + first.status()
                                + " twice, like it answers the authenticated request (second exchange).")));
        return true;
    }

    /** A JWT split into its parts, with the tampered variants the check sends. */
    record Jwt(ObjectNode header, ObjectNode payload, String encodedHeader, String encodedPayload, String signature) {

        static Optional<Jwt> parse(String token) {
            if (token == null) {
                return Optional.empty();
            }
            String[] parts = token.split("\\.", -1);
            if (parts.length != 3) {
                return Optional.empty();
            }
            try {
                JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
                JsonNode payload = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
                if (header instanceof ObjectNode h && payload instanceof ObjectNode p && h.has("alg")) {
                    return Optional.of(new Jwt(h, p, parts[0], parts[1], parts[2]));
                }
            } catch (RuntimeException e) {
                // Not a JWT: opaque tokens are fine, the JWT probes just do not apply.
            }
            return Optional.empty();
        }

        /** A well-formed HS256 JWT signed with a key the target cannot know. */
        static String randomLookalike() {
            String header = B64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
            String payload = B64.encodeToString(
                    ("{\"sub\":\"venti-scan\",\"exp\":" + (Instant.now().getEpochSecond() + 3600) + "}")
                            .getBytes(StandardCharsets.UTF_8));
            byte[] signature = new byte[32];
            new java.security.SecureRandom().nextBytes(signature);
            return header + "." + payload + "." + B64.encodeToString(signature);
        }

        String withAlgorithm(String alg) {
            ObjectNode h = header.deepCopy();
            h.put("alg", alg);
            return encode(h) + "." + encodedPayload + ".";
        }

        String withoutSignature() {
            return encodedHeader + "." + encodedPayload + ".";
        }

        String withTamperedClaims() {
            ObjectNode p = payload.deepCopy();
            p.put("venti_scan", UUID.randomUUID().toString());
            return encodedHeader + "." + encode(p) + "." + signature;
        }

        /** Whether {@code exp} passed at least {@link #EXPIRY_LEEWAY} ago. */
        boolean isExpired() {
            return payload.has("exp")
                    && payload.path("exp").asLong(Long.MAX_VALUE)
                            <= Instant.now().minus(EXPIRY_LEEWAY).getEpochSecond();
        }

        private static String encode(JsonNode node) {
            return B64.encodeToString(JSON.writeValueAsBytes(node));
        }
    }
}
