package io.ventiapi.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The options issue 5 added: named identities with roles, marked operations, rules and the canary. */
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
}
