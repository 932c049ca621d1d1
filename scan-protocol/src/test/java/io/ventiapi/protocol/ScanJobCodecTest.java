package io.ventiapi.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ventiapi.tenancy.TenantId;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScanJobCodecTest {

    private static final String SECRET = "type=bearer,token=sk_live_do_not_leak_42";
    private final JobSeal seal = JobSeal.of(JobSeal.newKey());

    private static ScanJob job(String scanId) {
        return new ScanJob(
                scanId,
                TenantId.of("acme"),
                ScannerKind.VENTI,
                null,
                URI.create("http://127.0.0.1:8080/api"),
                "SAFE",
                20,
                500,
                Duration.ofMinutes(5),
                "openapi: 3.0.3",
                List.of(SECRET, "type=none"),
                null);
    }

    @Test
    void aJobTravelsWithItsCredentialsSealedAndComesBackWhole() {
        var message = ScanJobCodec.encode(job("scan-1"), 3, seal);

        assertThat(message.toString()).doesNotContain("sk_live_do_not_leak_42");
        var back = ScanJobCodec.decode(message, seal);
        assertThat(back).isEqualTo(job("scan-1"));
        assertThat(ScanJobCodec.tenantConcurrency(message, 1)).isEqualTo(3);
    }

    @Test
    void aScanOfSeveralScannersNamesThemInOrder() {
        var message = ScanJobCodec.encode(job("scan-1"), List.of(ScannerKind.VENTI, ScannerKind.ZAP), 3, seal);

        assertThat(ScanJobCodec.decodeMessage(message, seal).kinds())
                .containsExactly(ScannerKind.VENTI, ScannerKind.ZAP);
        assertThat(ScanJobCodec.decodeMessage(ScanJobCodec.encode(job("scan-2"), 3, seal), seal)
                        .kinds())
                .containsExactly(ScannerKind.VENTI);
        assertThatThrownBy(() -> ScanJobCodec.encode(job("scan-3"), List.of(ScannerKind.ZAP), 3, seal))
                .isInstanceOf(IllegalArgumentException.class);
        var zapPart = ScanJobCodec.decode(message, seal).part(ScannerKind.ZAP, Duration.ofMinutes(2));
        assertThat(zapPart.kind()).isEqualTo(ScannerKind.ZAP);
        assertThat(zapPart.timeBox()).isEqualTo(Duration.ofMinutes(2));
        assertThat(zapPart.identities()).isEqualTo(job("scan-1").identities());
    }

    @Test
    void credentialsDoNotOpenWithAnotherKeyNorInAnotherScansJob() {
        var message = ScanJobCodec.encode(job("scan-1"), 3, seal);

        assertThatThrownBy(() -> ScanJobCodec.decode(message, JobSeal.of(JobSeal.newKey())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("venti.job-key");

        var other = new HashMap<>(ScanJobCodec.encode(job("scan-2"), 3, seal));
        var sealedOfScan1 = message.get(ScanJobCodec.JOB).replaceAll(".*\"sealedIdentities\":\"([^\"]+)\".*", "$1");
        other.put(
                ScanJobCodec.JOB,
                other.get(ScanJobCodec.JOB)
                        .replaceAll(
                                "\"sealedIdentities\":\"[^\"]+\"", "\"sealedIdentities\":\"" + sealedOfScan1 + "\""));
        assertThatThrownBy(() -> ScanJobCodec.decode(other, seal)).isInstanceOf(IllegalArgumentException.class);
        assertThat(ScanJobCodec.scanOf(other))
                .hasValueSatisfying(scan -> assertThat(scan.getKey()).isEqualTo("scan-2"));
    }

    @Test
    void credentialsDoNotOpenOnceTheJobIsPointedElsewhere() {
        var message = ScanJobCodec.encode(job("scan-1"), 3, seal);
        var json = message.get(ScanJobCodec.JOB);

        for (var rewritten : List.of(
                json.replace("http://127.0.0.1:8080/api", "https://evil.example/"),
                json.replace("\"image\":null", "\"image\":\"evil.example/exfiltrate:1\""),
                json.replace("\"kind\":\"VENTI\"", "\"kind\":\"CUSTOM\""),
                json.replace("\"kinds\":[\"VENTI\"]", "\"kinds\":[\"VENTI\",\"CUSTOM\"]"))) {
            assertThat(rewritten).isNotEqualTo(json);
            var forged = new HashMap<>(message);
            forged.put(ScanJobCodec.JOB, rewritten);
            assertThatThrownBy(() -> ScanJobCodec.decode(forged, seal))
                    .as(rewritten)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("another target or scanner");
        }
        assertThat(ScanJobCodec.decode(message, seal).identities()).contains(SECRET);
    }

    @Test
    void aMissingOrShortKeySaysHowToMakeOne() {
        assertThatThrownBy(() -> JobSeal.of(null)).hasMessageContaining("openssl rand -base64 32");
        assertThatThrownBy(() -> JobSeal.of("c2hvcnQ=")).hasMessageContaining("32 random bytes");
    }
}
