package io.ventiapi.engine.testapi;

import io.ventiapi.demotarget.VulnerableApi;
import io.ventiapi.engine.Finding;
import io.ventiapi.engine.ScanEngine;
import io.ventiapi.engine.ScanEvent;
import io.ventiapi.engine.ScanOptions;
import io.ventiapi.engine.ScanProfile;
import io.ventiapi.engine.ScanRequest;
import io.ventiapi.engine.ScanResult;
import io.ventiapi.engine.check.BuiltInChecks;
import io.ventiapi.engine.http.ExecutionLimits;
import io.ventiapi.engine.identity.Identity;
import io.ventiapi.engine.plan.OperationPlanner;
import io.ventiapi.engine.plan.ScanPlan;
import io.ventiapi.engine.spec.SpecLoader;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** Runs a full scan of the test API the way the CLI does, collecting events. */
public final class TestApiScan {

    /** The login identity of the test API's user alice. */
    public static final Identity ALICE = new Identity.LoginFlow(
            "alice", "POST", "/api/login", Map.of("username", "alice", "password", "wonderland"), "/token");

    /** The login identity of bob, a user like alice: the second identity object-level checks compare with. */
    public static final Identity BOB = new Identity.LoginFlow(
            "bob", "POST", "/api/login", Map.of("username", "bob", "password", "builder"), "/token");

    /** The test API's administrator, the reference for function-level checks. */
    public static final Identity ADMIN = new Identity.LoginFlow(
            "admin", "POST", "/api/login", Map.of("username", "admin", "password", "admin-s3cret"), "/token");

    /** Roles by identity label, as {@code --identity name=alice,role=user,…} declares them. */
    public static final Map<String, String> ROLES = Map.of("alice", "user", "bob", "user", "admin", "admin");

    /** What a scan produced. */
    public record Outcome(ScanResult result, List<ScanEvent> events) {}

    private TestApiScan() {}

    /**
     * Scans {@code target}, described by {@code specText}, with these identities and their roles, at the
     * STANDARD profile: for tests that serve an API of their own.
     */
    public static List<Finding> scan(
            URI target, String specText, Path workDir, List<Identity> identities, Map<String, String> roles)
            throws IOException {
        return scan(target, specText, workDir, identities, roles, ScanProfile.STANDARD);
    }

    /** As {@link #scan(URI, String, Path, List, Map)}, at the given profile. */
    public static List<Finding> scan(
            URI target,
            String specText,
            Path workDir,
            List<Identity> identities,
            Map<String, String> roles,
            ScanProfile profile)
            throws IOException {
        return run(target, specText, workDir, identities, roles, profile)
                .result()
                .findings();
    }

    /** As {@link #scan(URI, String, Path, List, Map, ScanProfile)}, with the whole result and the events. */
    public static Outcome run(
            URI target,
            String specText,
            Path workDir,
            List<Identity> identities,
            Map<String, String> roles,
            ScanProfile profile)
            throws IOException {
        Path spec = Files.createTempFile(workDir, "api", ".yaml");
        Files.writeString(spec, specText);
        ScanRequest request = new ScanRequest(
                "test-scan",
                new OperationPlanner().plan(new SpecLoader().load(spec.toString())),
                target,
                identities,
                profile,
                new ExecutionLimits(4, 0, 5_000, Duration.ofMinutes(2), Duration.ofSeconds(10)),
                null,
                false,
                ScanOptions.defaults().withIdentityRoles(roles));
        List<ScanEvent> events = new CopyOnWriteArrayList<>();
        return new Outcome(new ScanEngine(BuiltInChecks.all()).run(request, events::add), events);
    }

    public static Outcome scan(VulnerableApi api, Path workDir, ScanProfile profile) throws IOException {
        return scan(
                api,
                workDir,
                profile,
                new ExecutionLimits(8, 0, 20_000, Duration.ofMinutes(3), Duration.ofSeconds(10)));
    }

    public static Outcome scan(VulnerableApi api, Path workDir, ScanProfile profile, ExecutionLimits limits)
            throws IOException {
        ScanPlan plan = new OperationPlanner()
                .plan(new SpecLoader().load(api.writeSpec(workDir).toString()));
        List<ScanEvent> events = new CopyOnWriteArrayList<>();
        ScanRequest request = new ScanRequest(
                "test-scan",
                plan,
                api.baseUri(),
                List.of(ALICE, BOB, ADMIN),
                profile,
                limits,
                api.expiredToken(),
                false,
                ScanOptions.defaults().withIdentityRoles(ROLES));
        ScanResult result = new ScanEngine(BuiltInChecks.all()).run(request, events::add);
        return new Outcome(result, events);
    }
}
