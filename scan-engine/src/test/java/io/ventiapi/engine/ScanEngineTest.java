package io.ventiapi.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where the document's paths go: the target's origin always, the server's path when the target has none. */
class ScanEngineTest {

    @Test
    void takesTheServerPathWhenTheTargetIsJustAnOrigin() {
        URI target = URI.create("http://127.0.0.1:8080");

        assertThat(ScanEngine.baseUrl(target, List.of("/api/v3")))
                .isEqualTo(URI.create("http://127.0.0.1:8080/api/v3"));
        assertThat(ScanEngine.baseUrl(
                        URI.create("http://127.0.0.1:8080/"), List.of("https://petstore.example.com/api/v3/")))
                .isEqualTo(URI.create("http://127.0.0.1:8080/api/v3"));
    }

    @Test
    void keepsTheTargetWhenItHasAPathOrTheServerHasNone() {
        assertThat(ScanEngine.baseUrl(URI.create("http://h/v2"), List.of("/api/v3")))
                .isEqualTo(URI.create("http://h/v2"));
        assertThat(ScanEngine.baseUrl(URI.create("http://h"), List.of("https://api.example.com")))
                .isEqualTo(URI.create("http://h"));
        assertThat(ScanEngine.baseUrl(URI.create("http://h"), List.of("https://{region}.example.com/{base}")))
                .isEqualTo(URI.create("http://h"));
        assertThat(ScanEngine.baseUrl(URI.create("http://h"), List.of())).isEqualTo(URI.create("http://h"));
    }

    @Test
    void aServerPathNeverNamesAnotherHost() {
        for (var server : List.of(
                "https://api.example.com//169.254.169.254/latest",
                "//169.254.169.254/latest",
                "https://api.example.com//user@169.254.169.254:80/x")) {
            var base = ScanEngine.baseUrl(URI.create("https://api.example.com"), List.of(server));

            assertThat(base.getHost()).as(server).isEqualTo("api.example.com");
            assertThat(base.getPort()).as(server).isEqualTo(-1);
            assertThat(base.resolve("/meta-data/").getHost()).as(server).isEqualTo("api.example.com");
        }
    }
}
