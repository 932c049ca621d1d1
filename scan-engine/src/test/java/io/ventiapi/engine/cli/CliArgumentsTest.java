package io.ventiapi.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The options issue 5 added (named identities with roles, marked operations, rules and the canary) and --resolve. */
class CliArgumentsTest {

    @Test
    void namesIdentitiesAndDeclaresTheirRoles() {
        CliArguments arguments = CliArguments.parse(new String[] {
            "--spec", "shop.yaml",
            "--target", "http://127.0.0.1:8080",
            "--identity", "name=alice,role=user,type=bearer,token=t1",
            "--identity", "name=bob,role=user,type=bearer,token=t2",
            "--identity", "name=root,role=admin,type=basic,username=root,password=pw",
            "--identity", "label=service,role=user,type=apikey,name=X-Key,value=k",
            "--privileged-operation", "GET /api/reports/{id}",
            "--rules", "my-rules",
            "--canary-listen", "0.0.0.0:8099",
            "--canary-url", "http://scanner.internal:8099"
        });

        assertThat(arguments.identities())
                .extracting(i -> i.label())
                .containsExactly("alice", "bob", "root", "service");
        assertThat(arguments.options().identityRoles())
                .isEqualTo(Map.of("alice", "user", "bob", "user", "root", "admin", "service", "user"));
        assertThat(arguments.options().privilegedOperations()).containsExactly("GET /api/reports/{id}");
        assertThat(arguments.rules()).containsExactly(Path.of("my-rules"));
        assertThat(arguments.options().canary().listen().getPort()).isEqualTo(8099);
        assertThat(arguments.options().canary().publicUrl()).hasToString("http://scanner.internal:8099");
    }

    @Test
    void canTurnTheCanaryOffAndRefusesTwoIdentitiesWithOneName() {
        assertThat(CliArguments.parse(new String[] {"--spec", "s", "--target", "http://h", "--no-canary"})
                        .options()
                        .canary()
                        .enabled())
                .isFalse();
        assertThatThrownBy(() -> CliArguments.parse(new String[] {
                    "--spec",
                    "s",
                    "--target",
                    "http://h",
                    "--identity",
                    "type=login,path=/login,username=a,password=p",
                    "--identity",
                    "type=login,path=/login,username=b,password=q"
                }))
                .hasMessage("two identities are called 'login': give each its own name=…");
    }

    @Test
    void pinsNamesToTheAddressesGivenWithoutResolvingAnything() {
        CliArguments arguments = CliArguments.parse(new String[] {
            "--spec", "shop.yaml",
            "--target", "https://API.shop.test/v1",
            "--identity", "type=oauth2,token-url=https://idp.shop.test/token,client-id=c,client-secret=s",
            "--resolve", "api.shop.test=203.0.113.7,2001:db8::7,203.0.113.7",
            "--resolve=IdP.Shop.Test.=[2001:db8::8]"
        });

        assertThat(arguments.pins())
                .isEqualTo(Map.of(
                        "api.shop.test",
                                List.of(InetAddress.ofLiteral("203.0.113.7"), InetAddress.ofLiteral("2001:db8::7")),
                        "idp.shop.test", List.of(InetAddress.ofLiteral("2001:db8::8"))));
        assertThat(CliArguments.parse(new String[] {"--spec", "s", "--target", "http://h"})
                        .pins())
                .isEmpty();
    }

    @Test
    void refusesResolveWithoutAddressesOrWithNamesForAddresses() {
        assertThatThrownBy(() -> parseWithResolve("api.shop.test"))
                .hasMessageStartingWith("--resolve must look like HOST=ADDRESS[,ADDRESS...]");
        assertThatThrownBy(() -> parseWithResolve("api.shop.test="))
                .hasMessageStartingWith("--resolve must look like HOST=ADDRESS[,ADDRESS...]");
        assertThatThrownBy(() -> parseWithResolve("=203.0.113.7"))
                .hasMessageStartingWith("--resolve must look like HOST=ADDRESS[,ADDRESS...]");
        assertThatThrownBy(() -> parseWithResolve("api.shop.test=example.com"))
                .hasMessageStartingWith("--resolve api.shop.test: 'example.com' is not an IP address");
        assertThatThrownBy(() -> parseWithResolve("api.shop.test=203.0.113.7,"))
                .hasMessageStartingWith("--resolve api.shop.test: '' is not an IP address");
        assertThatThrownBy(() -> parseWithResolve("203.0.113.7=203.0.113.8"))
                .hasMessageStartingWith("--resolve 203.0.113.7: that is an address");
        assertThatThrownBy(() -> parseWithResolve("http://api.shop.test=203.0.113.7"))
                .hasMessage("--resolve 'http://api.shop.test' is not a host name");
    }

    @Test
    void refusesTheSameHostTwice() {
        assertThatThrownBy(() -> CliArguments.parse(new String[] {
                    "--spec", "s",
                    "--target", "http://api.shop.test",
                    "--resolve", "api.shop.test=203.0.113.7",
                    "--resolve", "API.shop.test.=203.0.113.8"
                }))
                .hasMessage("--resolve API.shop.test. is given twice: list all its addresses in one --resolve");
    }

    @Test
    void refusesHostsTheScanNeedsButDoesNotPin() {
        assertThatThrownBy(() -> parseWithResolve("other.shop.test=203.0.113.7"))
                .hasMessage("--target is on host api.shop.test, which is not one of the --resolve names: once"
                        + " --resolve is given, no other name is resolved");
        assertThatThrownBy(() -> CliArguments.parse(new String[] {
                    "--spec", "s",
                    "--target", "http://api.shop.test",
                    "--resolve", "api.shop.test=203.0.113.7",
                    "--identity",
                            "name=svc,type=oauth2,token-url=https://idp.shop.test/token,client-id=c,client-secret=s"
                }))
                .hasMessageStartingWith("the token-url of identity 'svc' is on host idp.shop.test, which is not one");
        assertThatThrownBy(() -> CliArguments.parse(new String[] {
                    "--spec", "https://specs.shop.test/openapi.yaml",
                    "--target", "http://api.shop.test",
                    "--resolve", "api.shop.test=203.0.113.7"
                }))
                .hasMessageStartingWith("--spec is on host specs.shop.test, which is not one");
        assertThatThrownBy(() -> CliArguments.parse(new String[] {
                    "--spec", "s",
                    "--target", "http://api.shop.test",
                    "--resolve", "api.shop.test=203.0.113.7",
                    "--canary-listen", "scanner.shop.test:8099"
                }))
                .hasMessageStartingWith("--canary-listen is on host scanner.shop.test, which is not one");

        // Addresses and relative token URLs (on the target's host) need no name.
        CliArguments arguments = CliArguments.parse(new String[] {
            "--spec", "s",
            "--target", "http://[2001:db8::7]:8080",
            "--resolve", "idp.shop.test=203.0.113.9",
            "--identity", "name=a,type=oauth2,token-url=https://idp.shop.test/token,client-id=c,client-secret=s",
            "--identity", "name=b,type=oauth2,token-url=/oauth/token,client-id=c,client-secret=s",
            "--canary-listen", "0.0.0.0:8099"
        });
        assertThat(arguments.pins()).containsOnlyKeys("idp.shop.test");
    }

    @Test
    void leavesACanaryHostNameUnresolvedUntilTheListenerStarts() {
        CliArguments arguments = CliArguments.parse(
                new String[] {"--spec", "s", "--target", "http://h", "--canary-listen", "scanner.shop.test:8099"});

        assertThat(arguments.options().canary().listen().isUnresolved()).isTrue();
        assertThat(arguments.options().canary().listen().getHostString()).isEqualTo("scanner.shop.test");
        assertThat(CliArguments.parse(new String[] {"--spec", "s", "--target", "http://h"})
                        .options()
                        .canary()
                        .listen()
                        .isUnresolved())
                .isFalse();
    }

    private static CliArguments parseWithResolve(String resolve) {
        return CliArguments.parse(
                new String[] {"--spec", "s", "--target", "http://api.shop.test", "--resolve", resolve});
    }
}
