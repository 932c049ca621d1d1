package io.ventiapi.platform.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ventiapi.platform.common.UserErrorException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

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
                "http://[fe80::1]/",
                // the same places written another way
                "http://2852039166/",
                "http://127.1/",
                "http://[::ffff:169.254.169.254]/",
                "http://[::169.254.169.254]/",
                "http://[::ffff:7f00:1]/",
                "http://[64:ff9b::a9fe:a9fe]/",
                "http://[64:ff9b::10.0.0.1]/",
                "http://[64:ff9b:1::a00:1]/",
                "http://[64:ff9b:1:a9fe:a9:fe00:808:808]/",
                "http://[2002:a9fe:a9fe::1]/",
                "http://[2002:7f00:1::]/",
                // reserved, broadcast and "this network" IPv4 ranges
                "http://0.1.2.3/",
                "http://255.255.255.255/",
                "http://240.0.0.1/",
                "http://192.0.0.192/",
                "http://198.18.0.1/",
                // cloud metadata at other addresses: Alibaba's, Azure's host agent (a public address)
                "http://100.100.100.200/",
                "http://168.63.129.16/"
            })
    void internalAddressesAreRefused(String url) {
        assertThatThrownBy(() -> strict.check(URI.create(url), "url"))
                .isInstanceOfSatisfying(
                        UserErrorException.class,
                        e -> assertThat(e.error().field()).isEqualTo("url"));
    }

    @Test
    void ipv4MappedAddressesFromDnsAnswersAreJudgedByTheirIpv4Address() throws Exception {
        // A literal ::ffff:a.b.c.d becomes an Inet4Address, but a resolver's AAAA answer may not.
        var mappedMetadata = new byte[16];
        mappedMetadata[10] = (byte) 0xff;
        mappedMetadata[11] = (byte) 0xff;
        mappedMetadata[12] = (byte) 169;
        mappedMetadata[13] = (byte) 254;
        mappedMetadata[14] = (byte) 169;
        mappedMetadata[15] = (byte) 254;
        var mapped = Inet6Address.getByAddress(null, mappedMetadata, -1);
        assertThat(mapped).isInstanceOf(Inet6Address.class);
        assertThat(strict.refusal(mapped)).isEqualTo("an IPv6 address carrying a cloud metadata address");

        var siit = mappedMetadata.clone();
        siit[8] = (byte) 0xff;
        siit[9] = (byte) 0xff;
        siit[10] = 0;
        siit[11] = 0;
        assertThat(strict.refusal(Inet6Address.getByAddress(null, siit, -1))).contains("cloud metadata");

        var publicMapped = mappedMetadata.clone();
        publicMapped[12] = 93;
        publicMapped[13] = (byte) 184;
        publicMapped[14] = (byte) 215;
        publicMapped[15] = 14;
        assertThat(strict.refusal(Inet6Address.getByAddress(null, publicMapped, -1)))
                .isNull();
    }

    @Test
    void aNameIsRefusedAlikeWhetherItResolvesPrivatelyOrNotAtAll() {
        // A tenant may name any host: the answer must not map which internal names the platform's DNS
        // knows, nor what they resolve to. An address written as such can be described.
        var internal = catchThrowable(() -> strict.check(URI.create("http://localhost:8080/"), "url"));
        var unknown = catchThrowable(() -> strict.check(URI.create("http://no-such-host.invalid/"), "url"));
        assertThat(internal.getMessage().replace("localhost", "X"))
                .isEqualTo(unknown.getMessage().replace("no-such-host.invalid", "X"))
                .doesNotContain("127.0.0.1")
                .contains("does not connect to");
        assertThatThrownBy(() -> strict.check(URI.create("http://[64:ff9b::a9fe:a9fe]/"), "url"))
                .hasMessage("[64:ff9b::a9fe:a9fe] is an IPv6 address carrying a cloud metadata address, which the"
                        + " platform does not connect to");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://example.com/x", "file:///etc/passwd", "http://user:pw@93.184.215.14/", "/relative"})
    void onlyPlainHttpUrlsAreAccepted(String url) {
        assertThatThrownBy(() -> strict.check(URI.create(url), "url")).isInstanceOf(UserErrorException.class);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "http://93.184.215.14/",
                "https://[2606:4700::1111]/",
                "http://[64:ff9b::5db8:d70e]/",
                "http://[2002:5db8:d70e::1]/",
                "http://198.20.0.1/"
            })
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

    @Test
    void thisMachinesOwnAddressesAreRefusedLikeLoopbackEvenWherePrivateRangesAreAllowed() throws Exception {
        var own = ownAddress();
        assumeTrue(own != null, "this machine has no interface address but loopback and link-local");
        var url = URI.create("http://" + own.getHostAddress() + ":5432/");
        var scanningOwnNetworks = new OutboundUrlPolicy(new OutboundProperties(false, true));

        assertThatThrownBy(() -> scanningOwnNetworks.check(url, "url"))
                .isInstanceOfSatisfying(
                        UserErrorException.class,
                        e -> assertThat(e.error().message()).contains("this machine's own address"));
        assertThat(new OutboundUrlPolicy(new OutboundProperties(true, true)).check(url, "url"))
                .isNotEmpty();
    }

    /** An IPv4 address of one of this machine's interfaces, neither loopback nor link-local; null if none. */
    private static InetAddress ownAddress() throws SocketException {
        for (var nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (var address : Collections.list(nic.getInetAddresses())) {
                if (address instanceof Inet4Address && !address.isLoopbackAddress() && !address.isLinkLocalAddress()) {
                    return address;
                }
            }
        }
        return null;
    }

    @Test
    void customScannerImagesComeFromNoRegistryOnThePlatformsOwnNetworksAndFromTheListedOnesWhenListed() {
        for (var image : List.of(
                "10.0.0.12:5000/x:1", "localhost:5000/x", "169.254.169.254/latest/meta-data:x", "127.0.0.1/x")) {
            assertThatThrownBy(() -> strict.checkImage(image, "customScannerImage"))
                    .as(image)
                    .isInstanceOfSatisfying(
                            UserErrorException.class,
                            e -> assertThat(e.error().message()).startsWith("the platform does not pull images from"));
        }
        strict.checkImage("acme/scanner:1", "customScannerImage");
        strict.checkImage("registry.example.com/acme/scanner:1.2", "customScannerImage");
        strict.checkImage("93.184.216.34:5000/acme/scanner:1", "customScannerImage");

        var listed = new OutboundUrlPolicy(new OutboundProperties(false, false, List.of("ghcr.io", "10.0.0.12:5000")));
        listed.checkImage("ghcr.io/acme/scanner:1", "customScannerImage");
        listed.checkImage("10.0.0.12:5000/scanners/x:1", "customScannerImage");
        var hub = new OutboundUrlPolicy(new OutboundProperties(false, false, List.of("Docker.io")));
        hub.checkImage("acme/scanner:1", "customScannerImage");
        hub.checkImage("index.docker.io/acme/scanner:1", "customScannerImage");
        hub.checkImage("docker.io/library/alpine:3", "customScannerImage");
        assertThatThrownBy(() -> listed.checkImage("acme/scanner:1", "customScannerImage"))
                .isInstanceOfSatisfying(
                        UserErrorException.class,
                        e -> assertThat(e.error().message())
                                .isEqualTo("images come from ghcr.io, 10.0.0.12:5000 only, not docker.io"));
    }

    @Test
    void theOperatorListsRegistriesInConfiguration() {
        var bound = new Binder(new MapConfigurationPropertySource(
                        Map.of("venti.outbound.image-registries", "ghcr.io,registry.acme.internal:5000")))
                .bindOrCreate("venti.outbound", OutboundProperties.class);

        assertThat(bound.imageRegistries()).containsExactly("ghcr.io", "registry.acme.internal:5000");
        assertThat(bound.allowLoopback()).isFalse();
        assertThat(new Binder(new MapConfigurationPropertySource(Map.of()))
                        .bindOrCreate("venti.outbound", OutboundProperties.class)
                        .imageRegistries())
                .isEmpty();
    }

    @Test
    void keysComeOverHttpsOrFromThisMachineOnly() {
        assertThat(strict.checkSecure(URI.create("https://93.184.216.34/jwks"), "jwkSetUri"))
                .isNotEmpty();
        assertThatThrownBy(() -> strict.checkSecure(URI.create("http://93.184.216.34/jwks"), "jwkSetUri"))
                .isInstanceOfSatisfying(
                        UserErrorException.class,
                        e -> assertThat(e.error().message()).isEqualTo("an https URL is required"));
        // A development identity provider beside the platform, where the operator allows loopback.
        assertThat(local.checkSecure(URI.create("http://127.0.0.1:8180/realms/dev"), "issuerUri"))
                .isNotEmpty();
    }
}
