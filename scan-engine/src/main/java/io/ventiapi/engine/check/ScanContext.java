package io.ventiapi.engine.check;

import io.ventiapi.engine.Finding;
import io.ventiapi.engine.ScanOptions;
import io.ventiapi.engine.ScanProfile;
import io.ventiapi.engine.canary.CanaryListener;
import io.ventiapi.engine.http.ProbeRequest;
import io.ventiapi.engine.http.ProbeResponse;
import io.ventiapi.engine.http.TargetClient;
import io.ventiapi.engine.identity.Credentials;
import io.ventiapi.engine.identity.IdentitySelector;
import io.ventiapi.engine.identity.IdentitySession;
import io.ventiapi.engine.plan.PlannedOperation;
import io.ventiapi.engine.plan.PrivilegedOperations;
import io.ventiapi.engine.plan.ScanPlan;
import io.ventiapi.engine.synth.RequestSynthesizer;
import io.ventiapi.engine.synth.SynthesizedRequest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/** What checks may use during a scan: the plan, the baselines, the target and a place to report findings. */
public final class ScanContext {

    private final ScanPlan plan;
    private final ScanProfile profile;
    private final TargetClient target;
    private final RequestSynthesizer synthesizer;
    private final String expiredToken;
    private final Map<String, Baseline> baselines;
    private final Consumer<Finding> findings;
    private final Consumer<ProbeResponse> responses;
    private final IdentitySelector identities;
    private final ScanOptions options;
    private final PrivilegedOperations privileged;
    private final CanaryListener canary;
    private final java.util.function.Supplier<java.util.Set<String>> createdIds;
    private final java.util.function.Predicate<PlannedOperation> withheld;
    private final Consumer<String> notes;
    private final Map<String, java.util.Optional<ProbeResponse>> views = new ConcurrentHashMap<>();
    private final java.util.concurrent.locks.ReentrantLock timing = new java.util.concurrent.locks.ReentrantLock();

    public ScanContext(
            ScanPlan plan,
            ScanProfile profile,
            TargetClient target,
            RequestSynthesizer synthesizer,
            String expiredToken,
            Map<String, Baseline> baselines,
            Consumer<Finding> findings,
            Consumer<ProbeResponse> responses) {
        this(
                plan,
                profile,
                target,
                synthesizer,
                expiredToken,
                baselines,
                findings,
                responses,
                null,
                null,
                null,
                java.util.Set::of,
                op -> false,
                note -> {});
    }

    /**
     * @param identities every identity of the scan, or null for a single anonymous one
     * @param options roles and marked operations; null for defaults
     * @param canary the running canary listener, or null when out-of-band checks are off
     * @param createdIds ids of the resources the scan created so far
     * @param withheld operations that get no more requests: in SAFE, creates whose objects the scan cannot delete
     * @param notes where what the user should know of how the scan went goes (see {@link #note})
     */
    public ScanContext(
            ScanPlan plan,
            ScanProfile profile,
            TargetClient target,
            RequestSynthesizer synthesizer,
            String expiredToken,
            Map<String, Baseline> baselines,
            Consumer<Finding> findings,
            Consumer<ProbeResponse> responses,
            IdentitySelector identities,
            ScanOptions options,
            CanaryListener canary,
            java.util.function.Supplier<java.util.Set<String>> createdIds,
            java.util.function.Predicate<PlannedOperation> withheld,
            Consumer<String> notes) {
        this.plan = plan;
        this.profile = profile;
        this.target = target;
        this.synthesizer = synthesizer;
        this.expiredToken = expiredToken;
        this.baselines = baselines;
        this.findings = findings;
        this.responses = responses;
        this.identities = identities;
        this.options = options == null ? ScanOptions.defaults() : options;
        this.privileged = new PrivilegedOperations(this.options.privilegedOperations());
        this.canary = canary;
        this.createdIds = createdIds;
        this.withheld = withheld;
        this.notes = notes;
    }

    /**
     * Tells the user something of how the scan went that is no finding: a rule skipped, and why. One sentence,
     * without values the scan sent (the engine removes its credentials, but not everything secret is one).
     */
    public void note(String text) {
        notes.accept(text);
    }

    /** Every authenticated identity of the scan, in the order given; empty for an anonymous scan. */
    public List<IdentitySession> sessions() {
        return identities == null ? List.of() : identities.sessions();
    }

    /** Whether an identity can satisfy the operation's security requirement. */
    public boolean canCall(IdentitySession session, PlannedOperation operation) {
        return identities != null && identities.canCall(session, operation);
    }

    public ScanOptions options() {
        return options;
    }

    /** Whether the operation looks privileged (admin paths, tags, scopes, marks). */
    public boolean looksPrivileged(PlannedOperation operation) {
        return privileged.looksPrivileged(operation);
    }

    /** Whether only a path word makes the operation look privileged: no mark, tag, scope or method does. */
    public boolean privilegedByPathOnly(PlannedOperation operation) {
        return privileged.privilegedByPathOnly(operation);
    }

    /** The canary listener for out-of-band checks, if one runs. */
    public java.util.Optional<CanaryListener> canary() {
        return java.util.Optional.ofNullable(canary);
    }

    /** Ids (as text) of every resource the scan created so far. */
    public java.util.Set<String> createdIds() {
        return createdIds.get();
    }

    /**
     * Whether the operation gets no more requests: in SAFE, a create whose valid request showed no id the scan
     * could delete its object by. Sending it anyway throws {@link ProbeWithheldException}.
     */
    public boolean withheld(PlannedOperation operation) {
        return withheld.test(operation);
    }

    /** The baseline of an operation, if it got one. */
    public java.util.Optional<Baseline> baseline(String operationId) {
        return java.util.Optional.ofNullable(baselines.get(operationId));
    }

    /**
     * The answer to an operation's baseline request when sent as another identity, sent once per scan and
     * identity and then remembered; empty when the operation has no baseline.
     */
    public java.util.Optional<ProbeResponse> viewAs(String operationId, IdentitySession session) {
        return views.computeIfAbsent(
                operationId + "\n" + session.label(),
                key -> baseline(operationId).map(b -> send(b.request(), session.credentials())));
    }

    /**
     * The answer to an operation's baseline request sent with a credential of the baseline identity's kind that
     * the target cannot have issued: what a refusal of this operation looks like. Sent once per operation and
     * then remembered; empty for anonymous baselines.
     */
    public java.util.Optional<ProbeResponse> refusal(Baseline baseline) {
        if (!baseline.identity().isAuthenticated()) {
            return java.util.Optional.empty();
        }
        return views.computeIfAbsent(
                baseline.operation().id() + "\n(invalid credential)",
                key -> java.util.Optional.of(
                        send(baseline.request(), baseline.identity().invalidLookalike())));
    }

    /**
     * Whether a probe was served like the baseline: 2xx, the same kind of body, nothing in the body saying it was
     * refused (an error envelope answered with 200), and not like the answer to a surely invalid credential (a
     * login page answered with 200). The invalid credential is sent only when the rest already holds.
     */
    public boolean servedLike(Baseline baseline, ProbeResponse probe) {
        if (!ResponseSimilarity.sameKind(baseline.response(), probe)) {
            return false;
        }
        return refusal(baseline)
                .map(refused -> ResponseSimilarity.sameKind(baseline.response(), refused, probe))
                .orElse(true);
    }

    /**
     * Whether the operation needs credentials: its document says so or, when the document declares no security
     * at all (many do not, though their APIs check tokens), the baseline request was sent with credentials and
     * the same request without any is refused with 401 or 403. The anonymous request is sent once per operation.
     */
    public boolean requiresAuthentication(Baseline baseline) {
        PlannedOperation op = baseline.operation();
        if (op.requiresAuthentication()) {
            return true;
        }
        if (!plan.securitySchemes().isEmpty()
                || !op.security().isEmpty()
                || !baseline.identity().isAuthenticated()
                || baseline.response().status() == 401
                || baseline.response().status() == 403) {
            return false;
        }
        return views.computeIfAbsent(
                        op.id() + "\n(anonymous)",
                        key -> java.util.Optional.of(send(baseline.request(), Credentials.none())))
                .map(r -> r.status() == 401 || r.status() == 403)
                .orElse(false);
    }

    public ScanPlan plan() {
        return plan;
    }

    public ScanProfile profile() {
        return profile;
    }

    public TargetClient target() {
        return target;
    }

    public RequestSynthesizer synthesizer() {
        return synthesizer;
    }

    /** A token the user says is expired but otherwise valid, for the expired-JWT check; null when not given. */
    public String expiredToken() {
        return expiredToken;
    }

    /** Baselines of all operations that got one, in execution order. */
    public List<Baseline> baselines() {
        return List.copyOf(baselines.values());
    }

    /** Reports a confirmed finding; duplicates (same fingerprint) are dropped by the engine. */
    public void report(Finding finding) {
        findings.accept(finding);
    }

    /**
     * Sends a synthesized request with the given credentials. The engine sees every response, so resources a
     * probe happens to create are cleaned up at the end like the ones baselines create.
     *
     * @throws ProbeWithheldException when the operation gets no more requests ({@link #withheld})
     */
    public ProbeResponse send(SynthesizedRequest request, Credentials credentials) {
        if (withheld.test(request.operation())) {
            throw new ProbeWithheldException(request.operation().method() + " "
                    + request.operation().pathTemplate() + " gets no more requests in this scan");
        }
        ProbeResponse response = target.send(probe(request, credentials));
        responses.accept(response);
        return response;
    }

    /** Builds the wire request for a synthesized request and credentials. */
    public ProbeRequest probe(SynthesizedRequest request, Credentials credentials) {
        return toProbe(request, credentials);
    }

    /** Builds the wire request for a synthesized request and credentials. */
    public static ProbeRequest toProbe(SynthesizedRequest request, Credentials credentials) {
        String pathAndQuery = request.pathAndQuery();
        if (!credentials.query().isEmpty()) {
            String extra = credentials.query().entrySet().stream()
                    .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                            + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                    .collect(Collectors.joining("&"));
            pathAndQuery += (pathAndQuery.contains("?") ? "&" : "?") + extra;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", "application/json, */*;q=0.5");
        headers.put("User-Agent", "venti-scan/1");
        headers.putAll(request.headers());
        headers.putAll(credentials.headers());
        byte[] body = request.bodyBytes();
        if (body != null) {
            headers.put("Content-Type", request.contentType());
        }
        Map<String, String> cookies = new LinkedHashMap<>(request.cookies());
        cookies.putAll(credentials.cookies());
        if (!cookies.isEmpty()) {
            headers.put(
                    "Cookie",
                    cookies.entrySet().stream()
                            .map(e -> e.getKey() + "=" + e.getValue())
                            .collect(Collectors.joining("; ")));
        }
        return new ProbeRequest(request.operation().method(), pathAndQuery, headers, body);
    }

    /**
     * Runs a measurement that judges response times (time-based injection, regular-expression denial of service)
     * while no other such measurement runs. Their probes are slow on purpose, and a target that serves one request
     * at a time, or stalls whole while it backtracks, makes every request in flight slow: two measurements
     * running together would each see the other's delays as their own.
     */
    public <T> T timed(java.util.function.Supplier<T> measurement) {
        timing.lock();
        try {
            return measurement.get();
        } finally {
            timing.unlock();
        }
    }
}
