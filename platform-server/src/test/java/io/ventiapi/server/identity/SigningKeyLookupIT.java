package io.ventiapi.server.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import io.ventiapi.platform.crypto.MasterKey;
import io.ventiapi.platform.security.SigningKeyService;
import io.ventiapi.platform.security.SystemActor;
import io.ventiapi.platform.security.internal.SigningKeyStore;
import io.ventiapi.server.support.VentiIntegrationTest;
import io.ventiapi.tenancy.TenantId;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Anyone can send a token naming the platform's issuer with a made-up key id: each replica looks
 * for a key it does not know in the key table (another replica may have rotated), but not at the
 * sender's pace. What is counted is what the store asks the database: reads of the key table.
 */
@VentiIntegrationTest
class SigningKeyLookupIT {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MasterKey masterKey;

    @Autowired
    SigningKeyService keys;

    final AtomicInteger keyTableReads = new AtomicInteger();
    final AtomicReference<CountDownLatch[]> nextReadHeld = new AtomicReference<>();
    final MovingClock clock = new MovingClock(Instant.parse("2026-12-07T12:00:00Z"));
    SigningKeyStore store;

    @BeforeEach
    void setUp() {
        store = new SigningKeyStore(counting(jdbc), masterKey, clock);
        store.initialize();
        assertThat(keyTableReads).hasValue(1);
    }

    @Test
    void tokensWithUnknownKeyIdsReadTheKeyTableOncePerPauseAndANewKeyIsStillFound() throws Exception {
        clock.advance(Duration.ofMinutes(1));
        for (int i = 0; i < 50; i++) {
            assertThat(keysWithId(UUID.randomUUID().toString())).isZero();
        }
        assertThat(keyTableReads).as("one read for fifty unknown key ids").hasValue(2);

        // Another replica rotates: its new key's tokens verify here once the pause is over.
        var rotated = SystemActor.call(TenantId.PLATFORM, keys::rotate);
        clock.advance(SigningKeyStore.UNKNOWN_KEY_PAUSE);
        assertThat(keysWithId(rotated.id())).isEqualTo(1);
        assertThat(store.verifies(rotated.id())).isTrue();
        assertThat(keyTableReads).hasValue(3);
    }

    @Test
    @Timeout(60) // a safety net only: the latches and thread states decide what is asserted
    void requestsWaitingForAReloadDoNotReloadAgain() throws Exception {
        var current = store.currentKeyId();
        clock.advance(Duration.ofMinutes(1)); // older than any replica's view may get
        var held = new CountDownLatch[] {new CountDownLatch(1), new CountDownLatch(1)};
        nextReadHeld.set(held);

        var threads = new ArrayList<Thread>();
        var verified = new AtomicInteger();
        Runnable request = () -> {
            if (store.verifies(current)) {
                verified.incrementAndGet();
            }
        };
        threads.add(Thread.ofPlatform().start(request));
        held[0].await(); // the first request is reading the key table
        for (int i = 0; i < 8; i++) {
            threads.add(Thread.ofPlatform().start(request));
        }
        // Every other request has come to wait for that read.
        while (threads.stream().skip(1).anyMatch(t -> t.getState() != Thread.State.BLOCKED)) {
            Thread.sleep(10);
        }
        held[1].countDown();
        for (var thread : threads) {
            thread.join();
        }

        assertThat(verified).hasValue(9);
        assertThat(keyTableReads).as("the start and one reload").hasValue(2);
    }

    private int keysWithId(String kid) throws Exception {
        return store.verificationKeys()
                .get(new JWKSelector(new JWKMatcher.Builder().keyID(kid).build()), null)
                .size();
    }

    /** The application's client, counting (and, when asked, holding) the statements that read the key table. */
    private JdbcClient counting(JdbcClient real) {
        return (JdbcClient) Proxy.newProxyInstance(
                JdbcClient.class.getClassLoader(), new Class<?>[] {JdbcClient.class}, (proxy, method, args) -> {
                    if (method.getName().equals("sql")
                            && args[0] instanceof String sql
                            && sql.contains("from signing_keys")) {
                        keyTableReads.incrementAndGet();
                        var held = nextReadHeld.getAndSet(null);
                        if (held != null) {
                            held[0].countDown();
                            held[1].await();
                        }
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** A clock the test moves, so that nothing depends on how long the test takes. */
    static final class MovingClock extends Clock {
        private volatile Instant now;

        MovingClock(Instant now) {
            this.now = now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
