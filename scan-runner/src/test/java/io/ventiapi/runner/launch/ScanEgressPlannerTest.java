package io.ventiapi.runner.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ventiapi.protocol.ScanJob;
import io.ventiapi.protocol.ScannerKind;
import io.ventiapi.tenancy.TenantId;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScanEgressPlannerTest {

    @Test
    void writesSingleHostCidrsInTheFormKubernetesAccepts() throws UnknownHostException {
        assertThat(cidr("203.0.113.10")).isEqualTo("203.0.113.10/32");
        assertThat(cidr("2001:db8:0:0:0:0:0:10")).isEqualTo("2001:db8::10/128");
        assertThat(cidr("::1")).isEqualTo("::1/128");
        assertThat(cidr("0:0:1:0:0:2:3:4")).isEqualTo("::1:0:0:2:3:4/128");
        assertThat(cidr("2001:db8:1:2:3:4:5:6")).isEqualTo("2001:db8:1:2:3:4:5:6/128");
        assertThat(cidr("fe80:0:0:0:0:0:0:1%1")).isEqualTo("fe80::1/128");
    }

    private static String cidr(String address) throws UnknownHostException {
        return new EgressDestination("target.example", InetAddress.getByName(address), 443).cidr();
    }

    @Test
    void refusesAddressesAScannerPodMustNotReach() {
        for (String address : List.of("127.0.0.1", "::1", "0.0.0.0", "169.254.169.254", "fe80::1", "224.0.0.1")) {
            assertThatThrownBy(() -> planner(address, false).destinations(scanOf("http://target.example")))
                    .as(address)
                    .isInstanceOfSatisfying(ScanEgressPlanner.RefusedEgressException.class, refused -> {
                        assertThat(refused.getMessage())
                                .startsWith("target.example: scanners do not connect to it")
                                .doesNotContain(address);
                        assertThat(refused.detail()).startsWith("target.example resolves to ");
                    });
            assertThatThrownBy(() -> planner(address, true).destinations(scanOf("http://target.example")))
                    .as(address + ", even with private targets allowed")
                    .isInstanceOf(ScanEgressPlanner.RefusedEgressException.class);
        }
    }

    @Test
    void allowsPrivateAddressesOnlyWhenTheOperatorDoes() throws Exception {
        for (String address : List.of("10.1.2.3", "172.16.0.9", "192.168.1.1", "100.64.0.1", "fd12:3456::1")) {
            assertThatThrownBy(() -> planner(address, false).destinations(scanOf("http://target.example:8080")))
                    .as(address)
                    .isInstanceOfSatisfying(
                            ScanEgressPlanner.RefusedEgressException.class,
                            refused -> assertThat(refused.detail())
                                    .contains("a private or link-local address, which scanners do not connect to"));
            assertThat(planner(address, true).destinations(scanOf("http://target.example:8080")))
                    .containsExactly(new EgressDestination("target.example", InetAddress.getByName(address), 8080));
        }
        // 100.128.0.1 is just past CGNAT: a public address
        assertThat(planner("100.128.0.1", false).destinations(scanOf("http://target.example")))
                .hasSize(1);
    }

    @Test
    void opensTheTokenEndpointOfAnOAuth2IdentityToo() throws Exception {
        var planner = new ScanEgressPlanner(
                host -> List.of(
                        InetAddress.getByName(host.equals("idp.example.com") ? "198.51.100.7" : "203.0.113.10")),
                false,
                false);
        var scan = scanOf(
                "https://api.example.com",
                "type=oauth2,token-url=https://idp.example.com:8443/token,client-id=a,client-secret=b",
                "type=oauth2,token-url=/oauth/token,client-id=a,client-secret=b");

        assertThat(planner.destinations(scan))
                .extracting(destination -> destination.cidr() + ":" + destination.port())
                .containsExactly("203.0.113.10/32:443", "198.51.100.7/32:8443");
    }

    @Test
    void judgesAddressesByThePlatformsOwnRuleWithItsTranslatedForms() throws Exception {
        // NAT64 and 6to4 forms of private and metadata addresses, the protocol and benchmarking
        // ranges: a pod reaches them as surely as the plain addresses.
        for (String address : List.of(
                "64:ff9b::a00:5",
                "64:ff9b::a9fe:a9fe",
                "2002:a00:5::1",
                "64:ff9b:1::1",
                "192.0.0.192",
                "198.18.0.1",
                "100.100.100.200",
                "168.63.129.16")) {
            assertThatThrownBy(() -> planner(address, false).destinations(scanOf("http://target.example")))
                    .as(address)
                    .isInstanceOf(ScanEgressPlanner.RefusedEgressException.class);
        }
        // loopback only where the operator allows it, as on a local run; metadata never
        assertThat(new ScanEgressPlanner(host -> List.of(InetAddress.getByName("127.0.0.1")), true, false)
                        .destinations(scanOf("http://localhost:8080")))
                .hasSize(1);
        for (String metadata : List.of("169.254.169.254", "192.0.0.192", "64:ff9b:1::a9fe:a9fe")) {
            assertThatThrownBy(() -> new ScanEgressPlanner(host -> List.of(InetAddress.getByName(metadata)), true, true)
                            .destinations(scanOf("http://target.example")))
                    .as(metadata)
                    .isInstanceOfSatisfying(
                            ScanEgressPlanner.RefusedEgressException.class,
                            refused -> assertThat(refused.detail()).contains("cloud metadata"));
        }
    }

    @Test
    void aNameWithNoAddressIsRefusedNotLeftForTheScannerToLookUp() {
        assertThatThrownBy(() -> new ScanEgressPlanner(host -> List.of(), false, false)
                        .destinations(scanOf("http://target.example")))
                .isInstanceOfSatisfying(
                        ScanEgressPlanner.RefusedEgressException.class,
                        refused -> assertThat(refused.detail()).isEqualTo("no address for target.example"));
    }

    @Test
    void pinsEachNameToItsAddressesAndLeavesLiteralsOut() throws Exception {
        var destinations = List.of(
                new EgressDestination("API.example.com", InetAddress.getByName("203.0.113.10"), 443),
                new EgressDestination("api.example.com", InetAddress.getByName("203.0.113.11"), 443),
                new EgressDestination("api.example.com", InetAddress.getByName("203.0.113.10"), 8443),
                new EgressDestination("api.example.com.", InetAddress.getByName("203.0.113.12"), 443),
                new EgressDestination("198.51.100.7", InetAddress.getByName("198.51.100.7"), 443),
                new EgressDestination("[2001:db8::1]", InetAddress.getByName("2001:db8::1"), 443));

        assertThat(ScanEgressPlanner.pins(destinations))
                .containsExactly(Map.entry(
                        "api.example.com",
                        List.of(
                                InetAddress.getByName("203.0.113.10"),
                                InetAddress.getByName("203.0.113.11"),
                                InetAddress.getByName("203.0.113.12"))));
    }

    private static ScanEgressPlanner planner(String address, boolean allowPrivate) {
        return new ScanEgressPlanner(host -> List.of(InetAddress.getByName(address)), false, allowPrivate);
    }

    private static ScanJob scanOf(String target, String... identities) {
        return new ScanJob(
                "s1",
                TenantId.of("acme"),
                ScannerKind.VENTI,
                null,
                URI.create(target),
                "SAFE",
                10,
                100,
                Duration.ofMinutes(1),
                "{}",
                List.of(identities),
                null);
    }
}
