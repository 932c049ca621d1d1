package io.ventiapi.demotarget;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Serves the test API on 127.0.0.1 for trying the CLI by hand (docs/engine/cli.md): prints the target URL, the
 * document path and the identity to use, then serves until stdin closes or Enter is pressed.
 */
public final class DemoTargetMain {

    private DemoTargetMain() {}

    public static void main(String[] args) throws Exception {
        VulnerableApi.Mode mode = args.length > 0
                ? VulnerableApi.Mode.valueOf(args[0].toUpperCase(Locale.ROOT))
                : VulnerableApi.Mode.VULNERABLE;
        try (OutOfScopeServer outOfScope = new OutOfScopeServer();
                VulnerableApi api = new VulnerableApi(mode, outOfScope.port())) {
            Path spec = api.writeSpec(Files.createTempDirectory("venti-test-shop"));
            System.out.println("mode:          " + mode.name().toLowerCase(Locale.ROOT));
            System.out.println("target:        " + api.baseUri());
            System.out.println("spec:          " + spec);
            for (String user : List.of("alice,role=user", "bob,role=user", "admin,role=admin")) {
                String name = user.substring(0, user.indexOf(','));
                String password = switch (name) {
                    case "alice" -> "wonderland";
                    case "bob" -> "builder";
                    default -> "admin-s3cret";
                };
                System.out.println("identity:      name=" + user + ",type=login,path=/api/login,username=" + name
                        + ",password=" + password + ",token-pointer=/token");
            }
            System.out.println("expired token: " + api.expiredToken());
            System.out.println("(out-of-scope server on port " + outOfScope.port() + "; press Enter to stop)");
            System.in.read();
            System.out.println("out-of-scope hits: " + outOfScope.hits());
        }
    }
}
