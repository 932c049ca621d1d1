package io.ventiapi.platform.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ventiapi.platform.common.UserErrorException;
import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OutboundUrlPolicyTest {

    private final OutboundUrlPolicy strict = new OutboundUrlPolicy(new OutboundProperties(false, false));
    private final OutboundUrlPolicy local = new OutboundUrlPolicy(new OutboundProperties(true, false));

    @ParameterizedTest
    @ValueSource(
            strings = {
                "http://169.254.169.254/latest/meta-data/",
                "http://10.0.0.1/",
                "http://172.16.5.4/",
                "http://192.168.1.1/",
                "http://127.0.0.1:8080/",
                "http://localhost/",
                "http://[::1]/",
                "http://0.0.0.0/",
                "http://100.64.0.1/",
                "http://[fd00::1]/",
                "http://[fe80::1]/"
            })
    void internalAddressesAreRefused(String url) {
        assertThatThrownBy(() -> strict.check(URI.create(url), "url"))
                .isInstanceOfSatisfying(
                        UserErrorException.class,
                        e -> assertThat(e.error().field()).isEqualTo("url"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://example.com/x", "file:///etc/passwd", "http://user:pw@93.184.215.14/", "/relative"})
    void onlyPlainHttpUrlsAreAccepted(String url) {
        assertThatThrownBy(() -> strict.check(URI.create(url), "url")).isInstanceOf(UserErrorException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://93.184.215.14/", "https://[2606:4700::1111]/"})
    void publicAddressesPass(String url) {
        assertThat(strict.check(URI.create(url), "url")).isNotEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:8080/", "http://localhost/"})
    void theLocalRunMayReachLoopbackButStillNotMetadataOrPrivateRanges(String url) {
        assertThat(local.check(URI.create(url), "url")).isNotEmpty();
        assertThatThrownBy(() -> local.check(URI.create("http://169.254.169.254/"), "url"))
                .isInstanceOf(UserErrorException.class);
        assertThatThrownBy(() -> local.check(URI.create("http://10.1.2.3/"), "url"))
                .isInstanceOf(UserErrorException.class);
    }
}
