package io.ventiapi.platform.security.internal;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.userdetails.UsernameNotFoundException;

class MemberLoginsTest {

    /** A database that fails the test if asked anything. */
    private final JdbcClient untouchable = (JdbcClient) Proxy.newProxyInstance(
            JdbcClient.class.getClassLoader(), new Class<?>[] {JdbcClient.class}, (proxy, method, args) -> {
                throw new AssertionError("the database was asked: " + method.getName());
            });

    private final MemberLogins logins = new MemberLogins(untouchable);

    /**
     * PostgreSQL's {@code lower()} under a collation such as C.UTF-8 or en_US takes {@code İ} for
     * {@code i}: {@code ADMİN} would find the member {@code admin}, a spelling of its name Java
     * lower-cases apart, and so a spelling the sign-in throttle would count apart.
     */
    @ParameterizedTest
    @ValueSource(strings = {"ADMİN@acme.test", "admın@acme.test", "ﬁle@acme.test", "al ice", "ab", "alice\0"})
    void aNameNoMemberCouldHaveIsUnknownWithoutAskingTheDatabase(String username) {
        assertThatThrownBy(() -> logins.loadUserByUsername(username)).isInstanceOf(UsernameNotFoundException.class);
    }

    @Test
    void noNameIsUnknownToo() {
        assertThatThrownBy(() -> logins.loadUserByUsername(null)).isInstanceOf(UsernameNotFoundException.class);
        assertThatThrownBy(() -> logins.loadUserByUsername("x".repeat(121)))
                .isInstanceOf(UsernameNotFoundException.class);
    }
}
