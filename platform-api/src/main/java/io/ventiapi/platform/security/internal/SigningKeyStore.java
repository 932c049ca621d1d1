package io.ventiapi.platform.security.internal;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import io.ventiapi.platform.crypto.MasterKey;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The authorization server's RSA signing keys, persisted so a restart does not invalidate tokens.
 * The newest unretired key signs; every unretired key verifies and is published at {@code
 * /oauth2/jwks}, so rotating (a new key, then retiring the old one after the longest token
 * lifetime) never breaks a live token.
 */
public class SigningKeyStore implements JWKSource<SecurityContext> {

    private static final Logger log = LoggerFactory.getLogger(SigningKeyStore.class);

    /** How stale this replica's view of the key table may get: a retirement elsewhere takes effect within it. */
    private static final java.time.Duration REFRESH = java.time.Duration.ofSeconds(30);

    /**
     * How soon after a read of the key table a token with a key id this replica does not know makes
     * it read again: anyone can send tokens with made-up key ids, and each read decrypts every key.
     */
    public static final java.time.Duration UNKNOWN_KEY_PAUSE = java.time.Duration.ofSeconds(2);

    private final JdbcClient jdbc;
    private final MasterKey masterKey;
    private final java.time.Clock clock;
    private volatile List<RSAKey> keys = List.of();
    private volatile JWKSet signingSet = new JWKSet();
    private volatile JWKSet verificationSet = new JWKSet();
    private volatile List<Published> published = List.of();
    private volatile Instant loadedAt = Instant.EPOCH;

    public SigningKeyStore(JdbcClient jdbc, MasterKey masterKey) {
        this(jdbc, masterKey, java.time.Clock.systemUTC());
    }

    /** With {@code clock} deciding when the key table is read again. */
    public SigningKeyStore(JdbcClient jdbc, MasterKey masterKey, java.time.Clock clock) {
        this.jdbc = jdbc;
        this.masterKey = masterKey;
        this.clock = clock;
    }

    /** Loads the keys. */
    public void initialize() {
        reload();
    }

    /**
     * Whether there is no key to sign with (the platform's first start), asked in the caller's
     * transaction under a lock that replicas starting together take in turn: the first creates the
     * key, the others then see it.
     */
    public boolean noneSigns() {
        jdbc.sql("select pg_advisory_xact_lock(hashtext('signing-keys:first'))")
                .query()
                .singleValue();
        reload();
        return keys.isEmpty();
    }

    /**
     * Adds a new signing key, which signs once the caller's transaction commits; older ones keep
     * verifying until retired.
     */
    public Published rotate() {
        try {
            var generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(3072);
            var pair = generator.generateKeyPair();
            var kid = UUID.randomUUID().toString();
            var createdAt = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
            jdbc.sql("""
                            insert into signing_keys (kid, public_key, private_key_encrypted, encryption_key_id, created_at)
                            values (?, ?, ?, ?, ?)""")
                    .params(
                            kid,
                            pair.getPublic().getEncoded(),
                            masterKey.encrypt(pair.getPrivate().getEncoded(), aad(kid)),
                            masterKey.id(),
                            Timestamp.from(createdAt))
                    .update();
            log.info("Created signing key {}", kid);
            reloadOnCommit();
            return new Published(kid, createdAt);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Seals again with the current master key the unretired private keys a previous one sealed (a
     * master key rotation). Returns the ids of the keys re-sealed.
     */
    public List<String> resealWithCurrentMasterKey() {
        record Sealed(String kid, String keyId, byte[] sealed) {}
        var stale = jdbc.sql("""
                        select kid, encryption_key_id, private_key_encrypted from signing_keys
                        where retired_at is null and encryption_key_id <> ?""")
                .param(masterKey.id())
                .query((rs, n) -> new Sealed(
                        rs.getString("kid"), rs.getString("encryption_key_id"), rs.getBytes("private_key_encrypted")))
                .list();
        var resealed = new ArrayList<String>();
        for (var row : stale) {
            if (!masterKey.isPrevious(row.keyId())) {
                continue; // a key that is not configured: reload() leaves it out and says so
            }
            var privateKey = masterKey.decrypt(row.keyId(), row.sealed(), aad(row.kid()));
            int updated = jdbc.sql("""
                            update signing_keys set private_key_encrypted = ?, encryption_key_id = ?
                            where kid = ? and encryption_key_id = ?""")
                    .params(masterKey.encrypt(privateKey, aad(row.kid())), masterKey.id(), row.kid(), row.keyId())
                    .update();
            java.util.Arrays.fill(privateKey, (byte) 0);
            if (updated == 1) {
                resealed.add(row.kid());
            }
        }
        if (!resealed.isEmpty()) {
            reloadOnCommit();
        }
        return resealed;
    }

    /** Stops publishing and accepting a key. */
    public void retire(String kid) {
        jdbc.sql("update signing_keys set retired_at = now() where kid = ? and retired_at is null")
                .param(kid)
                .update();
        reloadOnCommit();
    }

    /** The unretired keys, newest (the signing one) first. */
    public List<Published> published() {
        return published;
    }

    /** The key id new tokens are signed with. */
    public String currentKeyId() {
        var current = keys;
        if (current.isEmpty()) {
            throw new IllegalStateException("no signing key");
        }
        return current.getFirst().getKeyID();
    }

    @Override
    public List<JWK> get(JWKSelector selector, SecurityContext context) {
        return select(selector, () -> signingSet);
    }

    /**
     * The same keys without their private parts, for verifying tokens: selecting a key with its
     * private part converts that part on every token, which verification never needs.
     */
    public JWKSource<SecurityContext> verificationKeys() {
        return (selector, context) -> select(selector, () -> verificationSet);
    }

    /** Whether a key still verifies tokens: false once retired here, or elsewhere within {@link #REFRESH}. */
    public boolean verifies(String kid) {
        refreshIfStale();
        return kid != null && keys.stream().anyMatch(key -> kid.equals(key.getKeyID()));
    }

    private void refreshIfStale() {
        // Another replica may have rotated or retired a key.
        reloadUnlessReadSince(clock.instant().minus(REFRESH));
    }

    private List<JWK> select(JWKSelector selector, java.util.function.Supplier<JWKSet> set) {
        refreshIfStale();
        var matched = selector.select(set.get());
        if (matched.isEmpty() && selector.getMatcher().getKeyIDs() != null) {
            // A key another replica created since this one last looked, or a made-up key id.
            reloadUnlessReadSince(clock.instant().minus(UNKNOWN_KEY_PAUSE));
            matched = selector.select(set.get());
        }
        return matched;
    }

    /**
     * Reads the key table unless a read began after {@code since}. Asked again once the lock is
     * held: the requests that waited for another's read use what it read.
     */
    private void reloadUnlessReadSince(Instant since) {
        if (loadedAt.isAfter(since)) {
            return;
        }
        synchronized (this) {
            if (!loadedAt.isAfter(since)) {
                reload();
            }
        }
    }

    /**
     * Reloads once the caller's transaction has ended (at once without one): a key whose insert
     * or retirement is rolled back never signs or stops verifying here, and one committed does.
     */
    private void reloadOnCommit() {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            reload();
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
                reload();
            }
        });
    }

    private synchronized void reload() {
        // When the read began: a key committed while it ran may be missing from it.
        var readAt = clock.instant();
        var rows = jdbc
                .sql("""
                        select kid, created_at, public_key, private_key_encrypted, encryption_key_id from signing_keys
                        where retired_at is null order by created_at desc, kid""")
                .query((rs, n) -> {
                    var kid = rs.getString("kid");
                    if (!masterKey.opens(rs.getString("encryption_key_id"))) {
                        log.warn(
                                "Signing key {} is sealed with a master key that is not configured; it is not used",
                                kid);
                        return null;
                    }
                    return new Loaded(
                            new Published(kid, rs.getTimestamp("created_at").toInstant()),
                            toJwk(
                                    kid,
                                    rs.getBytes("public_key"),
                                    rs.getString("encryption_key_id"),
                                    rs.getBytes("private_key_encrypted")));
                })
                .list()
                .stream()
                .filter(java.util.Objects::nonNull)
                .toList();
        keys = rows.stream().map(Loaded::jwk).toList();
        signingSet = new JWKSet(new ArrayList<JWK>(keys));
        verificationSet =
                new JWKSet(keys.stream().map(key -> (JWK) key.toPublicJWK()).toList());
        published = rows.stream().map(Loaded::published).toList();
        loadedAt = readAt;
    }

    private record Loaded(Published published, RSAKey jwk) {}

    private RSAKey toJwk(String kid, byte[] publicKey, String keyId, byte[] privateKeySealed) {
        try {
            var factory = KeyFactory.getInstance("RSA");
            var publicRsa = (RSAPublicKey) factory.generatePublic(new X509EncodedKeySpec(publicKey));
            var privateRsa = (RSAPrivateKey) factory.generatePrivate(
                    new PKCS8EncodedKeySpec(masterKey.decrypt(keyId, privateKeySealed, aad(kid))));
            return new RSAKey.Builder(publicRsa)
                    .privateKey(privateRsa)
                    .keyID(kid)
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(com.nimbusds.jose.JWSAlgorithm.RS256)
                    .build();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing key " + kid + " is unreadable", e);
        }
    }

    /** A key as the operator sees it. */
    public record Published(String kid, Instant createdAt) {}

    private static byte[] aad(String kid) {
        return ("signing-key:" + kid).getBytes(StandardCharsets.UTF_8);
    }
}
