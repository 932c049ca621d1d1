package io.ventiapi.engine.check.auth;

import io.ventiapi.engine.Confidence;
import io.ventiapi.engine.Evidence;
import io.ventiapi.engine.OwaspCategory;
import io.ventiapi.engine.Severity;
import io.ventiapi.engine.check.Baseline;
import io.ventiapi.engine.check.Check;
import io.ventiapi.engine.check.ResponseSimilarity;
import io.ventiapi.engine.check.Rule;
import io.ventiapi.engine.check.ScanContext;
import io.ventiapi.engine.http.ProbeResponse;
import io.ventiapi.engine.http.Redactor;
import io.ventiapi.engine.identity.Credentials;
import io.ventiapi.engine.identity.IdentitySession;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * API2: a JWT signed with HMAC under a guessable secret. The token each identity already holds is attacked
 * offline with the bundled wordlist ({@code jwt-secrets.txt}, no requests); a found secret is proved by a token
 * with changed claims signed with it being accepted while the same claims signed with a random key are not.
 */
public final class WeakJwtSecretCheck implements Check {

    static final Rule WEAK_SECRET = new Rule(
            "auth.jwt-weak-secret",
            "JWT signed with a guessable secret",
            OwaspCategory.API2,
            521,
            Severity.CRITICAL,
            "The HMAC secret that signs the API's tokens is in a public wordlist: anyone can forge a token for any user and role.",
            "Sign tokens with a random secret of at least 256 bits kept in a secret store (or with an asymmetric key), and rotate the current one.");

    static final String WORDLIST = "jwt-secrets.txt";
    private static final Map<String, String> HMAC =
            Map.of("HS256", "HmacSHA256", "HS384", "HmacSHA384", "HS512", "HmacSHA512");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    @Override
    public List<Rule> rules() {
        return List.of(WEAK_SECRET);
    }

    @Override
    public void checkTarget(ScanContext context) {
        for (IdentitySession session : context.sessions()) {
            String token = session.credentials().bearerToken();
            Optional<BrokenAuthenticationCheck.Jwt> jwt = BrokenAuthenticationCheck.Jwt.parse(token);
            if (jwt.isEmpty()) {
                continue;
            }
            String algorithm = HMAC.get(jwt.get().header().path("alg").asString(""));
            if (algorithm == null) {
                continue;
            }
            Optional<Cracked> cracked = crack(token, algorithm);
            if (cracked.isPresent() && prove(context, session, jwt.get(), algorithm, cracked.get())) {
                return;
            }
        }
    }

    /** The secret and its line in the wordlist, found offline. */
    record Cracked(String secret, int line) {}

    static Optional<Cracked> crack(String token, String algorithm) {
        int lastDot = token.lastIndexOf('.');
        byte[] input = token.substring(0, lastDot).getBytes(StandardCharsets.US_ASCII);
        byte[] signature;
        try {
            signature = Base64.getUrlDecoder().decode(token.substring(lastDot + 1));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        List<String> words = wordlist();
        for (int i = 0; i < words.size(); i++) {
            if (MessageDigest.isEqual(signature, hmac(algorithm, words.get(i), input))) {
                return Optional.of(new Cracked(words.get(i), i + 1));
            }
        }
        return Optional.empty();
    }

    private static boolean prove(
            ScanContext context,
            IdentitySession session,
            BrokenAuthenticationCheck.Jwt jwt,
            String algorithm,
            Cracked cracked) {
        List<Baseline> candidates = new ArrayList<>(context.baselines().stream()
                .filter(b -> b.identity() == session
                        && b.operation().method().equals("GET")
                        && !refused(b.response())
                        && context.requiresAuthentication(b))
                // Successful answers first; an authenticated "not found" tells a valid token too.
                .sorted(Comparator.comparing((Baseline b) -> !b.response().isSuccess())
                        .thenComparing((Baseline b) -> b.operation().pathTemplate()))
                .toList());
        ObjectNode claims = jwt.payload().deepCopy();
        claims.put("jti", UUID.randomUUID().toString());
        claims.put("iat", Instant.now().getEpochSecond());
        claims.put("exp", Instant.now().getEpochSecond() + 3600);
        claims.put("venti_forged", true);
        String forged = sign(jwt.header(), claims, algorithm, cracked.secret());
        String control = sign(jwt.header(), claims, algorithm, UUID.randomUUID().toString());
        Credentials real = session.credentials();
        for (Baseline baseline : candidates) {
            ProbeResponse rejected = context.send(baseline.request(), real.withToken(control));
            if (baseline.response().isSuccess()
                    ? context.servedLike(baseline, rejected)
                    : rejected.isSuccess() || !refused(rejected)) {
                continue; // this operation does not verify signatures at all: another rule's finding
            }
            ProbeResponse accepted = context.send(baseline.request(), real.withToken(forged));
            if (!acceptedLike(context, baseline, accepted)) {
                continue;
            }
            String masked =
                    cracked.secret().substring(0, Math.min(2, cracked.secret().length())) + "…";
            context.report(WEAK_SECRET.targetWideFinding(
                    Confidence.CONFIRMED,
                    baseline.operation().method(),
                    baseline.operation().pathTemplate(),
                    null,
                    new Evidence(
                            List.of(Redactor.excerpt(accepted), Redactor.excerpt(rejected)),
                            "The " + jwt.header().path("alg").asString() + " token of identity '" + session.label()
                                    + "' is signed with the secret on line " + cracked.line()
                                    + " of the engine's bundled wordlist " + WORDLIST + " (" + masked + ", "
                                    + cracked.secret().length() + " characters), found offline. A token with new "
                                    + "claims (jti, iat, exp, venti_forged) signed with it was accepted with HTTP "
                                    + accepted.status() + " (first exchange); the same claims signed with a random "
                                    + "key were refused with HTTP " + rejected.status() + " (second exchange).")));
            return true;
        }
        return false;
    }

    private static boolean refused(ProbeResponse response) {
        return response.status() == 401 || response.status() == 403;
    }

    /**
     * The forged token got the answer the real one got: the same success, or, where the real token got a
     * non-success that is not a refusal (404 for an object of someone else), the same status and answer, while
     * the random-key token was refused.
     */
    private static boolean acceptedLike(ScanContext context, Baseline baseline, ProbeResponse forged) {
        ProbeResponse real = baseline.response();
        if (real.isSuccess()) {
            return context.servedLike(baseline, forged);
        }
        return forged.status() == real.status() && ResponseSimilarity.same(real, forged);
    }

    private static String sign(ObjectNode header, ObjectNode claims, String algorithm, String secret) {
        String input = B64.encodeToString(JSON.writeValueAsBytes(header)) + "."
                + B64.encodeToString(JSON.writeValueAsBytes(claims));
        return input + "." + B64.encodeToString(hmac(algorithm, secret, input.getBytes(StandardCharsets.US_ASCII)));
    }

    private static byte[] hmac(String algorithm, String secret, byte[] input) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), algorithm));
            return mac.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static volatile List<String> words;

    static List<String> wordlist() {
        if (words == null) {
            try (InputStream in = WeakJwtSecretCheck.class.getResourceAsStream(WORDLIST);
                    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                words = reader.lines().filter(line -> !line.isEmpty()).toList();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return words;
    }
}
