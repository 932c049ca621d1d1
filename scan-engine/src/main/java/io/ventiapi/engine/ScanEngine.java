package io.ventiapi.engine;

import io.ventiapi.engine.canary.CanaryListener;
import io.ventiapi.engine.check.Baseline;
import io.ventiapi.engine.check.Check;
import io.ventiapi.engine.check.ProbeWithheldException;
import io.ventiapi.engine.check.ScanContext;
import io.ventiapi.engine.http.ExecutionLimits;
import io.ventiapi.engine.http.OutOfScopeException;
import io.ventiapi.engine.http.ProbeRequest;
import io.ventiapi.engine.http.ProbeResponse;
import io.ventiapi.engine.http.ScanStoppedException;
import io.ventiapi.engine.http.TargetClient;
import io.ventiapi.engine.http.TargetUnreachableException;
import io.ventiapi.engine.http.UnsendableRequestException;
import io.ventiapi.engine.identity.AuthenticationFailedException;
import io.ventiapi.engine.identity.Identity;
import io.ventiapi.engine.identity.IdentitySelector;
import io.ventiapi.engine.identity.IdentitySession;
import io.ventiapi.engine.plan.DependencyEdge;
import io.ventiapi.engine.plan.OperationKinds;
import io.ventiapi.engine.plan.PlannedOperation;
import io.ventiapi.engine.plan.PrivilegedOperations;
import io.ventiapi.engine.plan.ScanPlan;
import io.ventiapi.engine.synth.HarvestedValues;
import io.ventiapi.engine.synth.RequestSynthesizer;
import io.ventiapi.engine.synth.SynthesizedRequest;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Runs a scan: baselines for every operation in dependency order (harvesting real ids on the way), then every
 * check on every baseline, then clean-up of what the scan created. Emits {@link ScanEvent}s as it goes.
 */
public final class ScanEngine {

    private static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(1);
    private static final Duration CLEANUP_TIME_BOX = Duration.ofSeconds(30);
    private static final int MAX_NOTES = 20;

    private final List<Check> checks;

    /** An engine running the given checks. */
    public ScanEngine(List<Check> checks) {
        this.checks = List.copyOf(checks);
    }

    /**
     * The URL the document's paths are appended to: the target as given when it has a path; when it is just an
     * origin, the path of the document's first server ({@code /api/v3} from {@code servers: [{url: /api/v3}]} or
     * {@code https://api.example.com/api/v3}). Only the path is taken: the origin is always the target's.
     */
    static URI baseUrl(URI target, List<String> serverUrls) {
        String targetPath = target.getRawPath() == null ? "" : target.getRawPath();
        if (!(targetPath.isEmpty() || targetPath.equals("/")) || serverUrls.isEmpty()) {
            return target;
        }
        String server = serverUrls.getFirst();
        if (server == null || server.contains("{")) {
            return target; // server variables: no way to know which value the target uses
        }
        String serverPath;
        try {
            serverPath = URI.create(server).getRawPath();
        } catch (IllegalArgumentException e) {
            return target;
        }
        if (serverPath == null
                || serverPath.isEmpty()
                || serverPath.equals("/")
                || !serverPath.startsWith("/")
                || serverPath.startsWith("//")) {
            // "//host/path" would name another host if resolved against the target: the document
            // chooses no host, and such a path is no usable base anyway.
            return target;
        }
        String trimmed = serverPath.endsWith("/") ? serverPath.substring(0, serverPath.length() - 1) : serverPath;
        // Appended to the target's own origin, never resolved against it.
        URI base;
        try {
            base = new URI(target.getScheme() + "://" + target.getRawAuthority() + trimmed);
        } catch (URISyntaxException e) {
            return target;
        }
        boolean sameOrigin = target.getScheme().equalsIgnoreCase(base.getScheme())
                && target.getHost().equalsIgnoreCase(base.getHost())
                && target.getPort() == base.getPort();
        return sameOrigin ? base : target;
    }

    /**
     * Runs one scan to the end and returns its result; events are passed to {@code events} in order, from
     * one thread at a time.
     */
    public ScanResult run(ScanRequest request, Consumer<ScanEvent> events) {
        Run run = new Run(request, events);
        return run.execute();
    }

    /** One scan's mutable state. */
    private final class Run {
        private final ScanRequest request;
        private final Consumer<ScanEvent> sink;
        private final ScanPlan plan;
        private final AtomicInteger seq = new AtomicInteger();
        private final Map<FindingFingerprint, Finding> findings = new ConcurrentHashMap<>();
        private final Map<String, Baseline> baselines = java.util.Collections.synchronizedMap(new LinkedHashMap<>());
        private final HarvestedValues harvested = new HarvestedValues();
        /** Ids of resources the scan created, by the concrete collection path they were posted to. */
        private final Map<String, List<String>> created = new ConcurrentHashMap<>();
        /** Who created each of them, by collection path and id: clean-up deletes as the creator. */
        private final Map<String, IdentitySession> creators = new ConcurrentHashMap<>();
        /**
         * Creating POSTs whose valid request created an object SAFE cannot delete (no id in the answer): nothing
         * more is sent to them, as every probe would leave another object behind.
         */
        private final Set<String> withheld = ConcurrentHashMap.newKeySet();
        /** What the user should know of how the scan went, beyond its findings, in the order noticed. */
        private final Set<String> notes = java.util.Collections.synchronizedSet(new java.util.LinkedHashSet<>());

        private final AtomicInteger operationsDone = new AtomicInteger();
        private final AtomicReference<ScanStoppedException> stopped = new AtomicReference<>();
        /** The scan's identities, once authenticated: their secrets are kept out of evidence. */
        private volatile IdentitySelector selector;

        private final Instant startedAt = Instant.now();
        private volatile String phase = "baseline";
        private volatile TargetClient target;
        private int cleanupRequests;
        private long lastProgressNanos;

        private final URI base;
        private final PrivilegedOperations privileged;

        Run(ScanRequest request, Consumer<ScanEvent> sink) {
            this.request = request;
            this.sink = sink;
            this.plan = request.plan();
            this.base = baseUrl(request.target(), plan.serverUrls());
            this.privileged = new PrivilegedOperations(request.options().privilegedOperations());
        }

        ScanResult execute() {
            emit(new ScanEvent.ScanStarted(
                    request.scanId(),
                    0,
                    Instant.now(),
                    base.toString(),
                    plan.title(),
                    plan.operations().size(),
                    request.profile().name(),
                    request.identities().size()));
            ScanEvent.ScanOutcome outcome = ScanEvent.ScanOutcome.COMPLETED;
            String reason = "";
            boolean crashed = false;
            CanaryListener canary = null;
            try (TargetClient client = new TargetClient(base, request.limits(), request.trustAnyCertificate())) {
                target = client;
                if (request.options().canary().enabled()) {
                    canary = CanaryListener.start(request.options().canary());
                }
                IdentitySelector identities = null;
                RequestSynthesizer synthesizer = new RequestSynthesizer(plan);
                try {
                    // One plain request first: an unreachable target fails the scan with a clear reason at once.
                    client.send(new ProbeRequest("GET", "/", Map.of("User-Agent", "venti-scan/1"), null));
                    identities = new IdentitySelector(
                            request.identities(), request.options().identityRoles(), plan.securitySchemes(), client);
                    selector = identities;
                    identities.authenticateAll();
                    ScanContext context = new ScanContext(
                            plan,
                            request.profile(),
                            client,
                            synthesizer,
                            request.expiredToken(),
                            baselines,
                            this::report,
                            this::observeProbe,
                            identities,
                            request.options(),
                            canary,
                            this::createdIds,
                            op -> withheld.contains(op.id()),
                            this::note);
                    collectBaselines(synthesizer, identities);
                    phase = "checks";
                    progress(true);
                    runChecks(context);
                    phase = "cleanup";
                    progress(true);
                    cleanUp(synthesizer, identities, false);
                } catch (ScanStoppedException e) {
                    stopped.compareAndSet(null, e);
                } catch (TargetUnreachableException | AuthenticationFailedException e) {
                    outcome = ScanEvent.ScanOutcome.FAILED;
                    reason = e.getMessage();
                } catch (UnsendableRequestException e) {
                    // Before the checks (a login field or API key HTTP cannot carry): nothing could be scanned.
                    outcome = ScanEvent.ScanOutcome.FAILED;
                    reason = "a request of the scan's identities could not be sent: " + e.getMessage();
                } catch (RuntimeException e) {
                    // A bug in a check: the scan failed, but it still says so and removes what it created.
                    outcome = ScanEvent.ScanOutcome.FAILED;
                    reason = withoutSecrets("the scan stopped on an internal error: " + e.getMessage());
                    crashed = true;
                }
                if ((stopped.get() != null || crashed) && identities != null && !created.isEmpty()) {
                    cleanUpAfterStop(synthesizer, identities);
                }
            } finally {
                if (canary != null) {
                    canary.close();
                }
            }
            ScanStoppedException stop = stopped.get();
            if (outcome == ScanEvent.ScanOutcome.COMPLETED && stop != null) {
                outcome = stop.limit() == ScanStoppedException.Limit.BUDGET
                        ? ScanEvent.ScanOutcome.BUDGET_EXHAUSTED
                        : ScanEvent.ScanOutcome.TIME_BOX_EXCEEDED;
                reason = stop.getMessage();
            }
            Duration duration = Duration.between(startedAt, Instant.now());
            List<Finding> sorted = new ArrayList<>(findings.values());
            sorted.sort(Comparator.comparing(Finding::severity)
                    .reversed()
                    .thenComparing(Finding::ruleId)
                    .thenComparing(Finding::pathTemplate)
                    .thenComparing(Finding::method));
            Map<Severity, Integer> bySeverity = new EnumMap<>(Severity.class);
            for (Severity severity : Severity.values()) {
                bySeverity.put(severity, 0);
            }
            sorted.forEach(f -> bySeverity.merge(f.severity(), 1, Integer::sum));
            int sent = (target == null ? 0 : target.requestsSent()) + cleanupRequests;
            emit(new ScanEvent.ScanFinished(
                    request.scanId(), 0, Instant.now(), outcome, reason, sent, duration.toMillis(), bySeverity));
            return new ScanResult(
                    request.scanId(),
                    base.toString(),
                    plan.title(),
                    startedAt,
                    duration,
                    outcome,
                    reason,
                    sent,
                    baselines.size(),
                    plan.operations().size(),
                    sorted,
                    List.copyOf(notes));
        }

        /** Sends one valid request per operation, producers before consumers, harvesting ids from responses. */
        private void collectBaselines(RequestSynthesizer synthesizer, IdentitySelector identities) {
            List<PlannedOperation> order = plan.dependencies().executionOrder(plan.operations());
            Map<String, Integer> level = new HashMap<>();
            for (PlannedOperation op : order) {
                int own = 0;
                for (DependencyEdge edge : plan.dependencies().producersOf(op.id())) {
                    Integer producer = level.get(edge.producerId());
                    if (producer != null) {
                        own = Math.max(own, producer + 1);
                    }
                }
                level.put(op.id(), own);
            }
            TreeMap<Integer, List<PlannedOperation>> waves = new TreeMap<>();
            List<PlannedOperation> destructive = new ArrayList<>();
            for (PlannedOperation op : order) {
                if (OperationKinds.neverSentByItself(op) || (op.method().equals("POST") && !mayPost(op))) {
                    // Logouts, data-store resets and password changes would end the scan's session, wipe its
                    // objects or lock it out; SAFE sends only the POSTs it can undo.
                    operationsDone.incrementAndGet();
                    continue;
                }
                if (op.isDestructive()) {
                    destructive.add(op);
                } else {
                    waves.computeIfAbsent(level.get(op.id()), k -> new ArrayList<>())
                            .add(op);
                }
            }
            for (List<PlannedOperation> wave : waves.values()) {
                runAll(wave.stream()
                        .map(op -> (Runnable)
                                () -> baseline(op, synthesizer.synthesize(op, harvested), identityFor(identities, op)))
                        .toList());
            }
            // PUT and PATCH change existing data: one at a time, after every read has its baseline.
            for (PlannedOperation op : destructive) {
                if (op.method().equals("DELETE")) {
                    continue;
                }
                onAllowedResources(op, synthesizer.synthesize(op, harvested)).stream()
                        .findFirst()
                        .ifPresent(r -> guarded(() -> baseline(op, r, identityFor(identities, op))));
            }
        }

        private IdentitySession identityFor(IdentitySelector identities, PlannedOperation op) {
            return identities.forOperation(op, privileged.looksPrivileged(op));
        }

        /**
         * Whether this profile sends the POST: SAFE only sends POSTs that read (search, lookup, login) and POSTs
         * that create something the API lets the scan delete again; other profiles send every POST. A creating
         * POST whose valid request shows no id to delete by gets no probes after it ({@link #withheld}).
         */
        private boolean mayPost(PlannedOperation op) {
            if (request.profile() != ScanProfile.SAFE) {
                return true;
            }
            return OperationKinds.isLogin(op)
                    || OperationKinds.isQueryLikePost(op)
                    || OperationKinds.itemOperation(plan, op, "DELETE").isPresent();
        }

        private java.util.Set<String> createdIds() {
            java.util.Set<String> ids = new java.util.HashSet<>();
            created.values().forEach(ids::addAll);
            return ids;
        }

        /**
         * The request pointed at resources this profile may change: the synthesized one in AGGRESSIVE (and for
         * PUT or PATCH in STANDARD), otherwise one request per resource the scan created in that collection.
         */
        private List<SynthesizedRequest> onAllowedResources(PlannedOperation op, SynthesizedRequest request) {
            boolean anyResource = this.request.profile() == ScanProfile.AGGRESSIVE
                    || (this.request.profile() == ScanProfile.STANDARD
                            && !op.method().equals("DELETE"));
            if (anyResource) {
                return List.of(request);
            }
            return createdIn(op, request);
        }

        /** The request once for each resource the scan created in the collection of the request's path. */
        private List<SynthesizedRequest> createdIn(PlannedOperation op, SynthesizedRequest request) {
            String template = op.pathTemplate();
            int lastOpen = template.lastIndexOf("/{");
            if (lastOpen < 0 || !template.endsWith("}")) {
                return List.of();
            }
            String parameter = template.substring(lastOpen + 2, template.length() - 1);
            String concrete = request.pathAndQuery();
            int query = concrete.indexOf('?');
            concrete = query < 0 ? concrete : concrete.substring(0, query);
            String collection = concrete.substring(0, concrete.lastIndexOf('/'));
            return created.getOrDefault(collection, List.of()).stream()
                    .map(id -> request.with(io.ventiapi.engine.plan.ParameterLocation.PATH, parameter, id))
                    .toList();
        }

        private void baseline(PlannedOperation op, SynthesizedRequest synthesized, IdentitySession identity) {
            try {
                ProbeResponse response = target.send(probe(synthesized, identity));
                boolean tokenCanBeRenewed = identity.identity() instanceof Identity.LoginFlow
                        || identity.identity() instanceof Identity.OAuth2ClientCredentials;
                if (response.status() == 401 && tokenCanBeRenewed && identity.invalidate()) {
                    // The token may have expired mid-scan: fetch a new one and try once more.
                    response = target.send(probe(synthesized, identity));
                    if (response.status() == 401) {
                        identity.renewalDidNotHelp();
                    }
                }
                if (response.isSuccess() && op.requiresAuthentication()) {
                    // Only an operation that needs credentials, answered with success, shows the
                    // target accepts the identity: a public one or a 404 shows nothing.
                    identity.accepted();
                }
                baselines.put(op.id(), new Baseline(op, synthesized, identity, response));
                if (response.isSuccess()) {
                    response.json()
                            .ifPresent(body -> harvested.harvest(
                                    op.id(), body, plan.dependencies().edges()));
                }
                boolean deletable = recordCreated(response);
                if (request.profile() == ScanProfile.SAFE && createsInSafe(op) && !deletable) {
                    // Every probe of it would create one more object nothing can delete.
                    withheld.add(op.id());
                    note(withheldNote(op, response));
                }
            } catch (TargetUnreachableException e) {
                // One operation timing out does not end the scan; it just gets no baseline.
            } finally {
                operationsDone.incrementAndGet();
                progress(false);
            }
        }

        /** Every check response: resources it created are remembered, and progress is reported while checks run. */
        private void observeProbe(ProbeResponse response) {
            recordCreated(response);
            progress(false);
        }

        /**
         * Remembers the id of a resource a POST created ({@link CreatedIdReader}: a Location header, {@code id},
         * {@code _id}, {@code uuid}, the item path parameter's name, {@code <name>Id}), keyed by the collection path
         * it was posted to, and the identity that created it.
         *
         * @return whether an id was recorded
         */
        private boolean recordCreated(ProbeResponse response) {
            var sent = response.request();
            boolean redirected = response.status() >= 300 && response.status() < 400;
            if (!sent.method().equals("POST") || !(response.isSuccess() || redirected)) {
                return false;
            }
            String path = sent.pathAndQuery();
            int query = path.indexOf('?');
            String collectionPath = query < 0 ? path : path.substring(0, query);
            URI collection;
            try {
                collection = target.resolve(collectionPath);
            } catch (OutOfScopeException e) {
                return false;
            }
            // A create answered with a redirect (303 to the new object) names it in its Location only.
            ProbeResponse answer = redirected
                    ? new ProbeResponse(sent, response.status(), response.headers(), new byte[0], response.elapsed())
                    : response;
            Optional<String> id = CreatedIdReader.read(answer, collection, itemParameterOf(collectionPath));
            if (id.isEmpty()) {
                return false;
            }
            IdentitySelector identities = selector;
            if (identities != null) {
                identities.sessions().stream()
                        .filter(session -> session.sent(sent))
                        .findFirst()
                        .ifPresent(creator -> creators.put(collectionPath + "\n" + id.get(), creator));
            }
            created.computeIfAbsent(collectionPath, k -> new CopyOnWriteArrayList<>())
                    .add(id.get());
            return true;
        }

        /**
         * The path parameter of the item path under a concrete collection path ({@code noteId} for
         * {@code /notes} with {@code /notes/{noteId}}), the DELETE's first: clean-up puts the id there.
         */
        private String itemParameterOf(String collectionPath) {
            String[] concrete = collectionPath.split("/", -1);
            String found = null;
            for (PlannedOperation op : plan.operations()) {
                String parameter = OperationKinds.itemParameter(op);
                if (parameter == null) {
                    continue;
                }
                String template = op.pathTemplate();
                String[] collection =
                        template.substring(0, template.lastIndexOf("/{")).split("/", -1);
                if (sameShape(collection, concrete)) {
                    if (op.method().equals("DELETE")) {
                        return parameter;
                    }
                    found = found == null ? parameter : found;
                }
            }
            return found;
        }

        private static boolean sameShape(String[] template, String[] concrete) {
            if (template.length != concrete.length) {
                return false;
            }
            for (int i = 0; i < template.length; i++) {
                boolean parameter = template[i].contains("{") && !concrete[i].isEmpty();
                if (!parameter && !template[i].equals(concrete[i])) {
                    return false;
                }
            }
            return true;
        }

        /** A POST SAFE sends only because it can delete what it creates: not a login, search or other read. */
        private boolean createsInSafe(PlannedOperation op) {
            return op.method().equals("POST") && !OperationKinds.isLogin(op) && !OperationKinds.isQueryLikePost(op);
        }

        private static String withheldNote(PlannedOperation op, ProbeResponse response) {
            String operation = "POST " + op.pathTemplate();
            if (response.isSuccess()) {
                return operation + " answered HTTP " + response.status() + " with no id of the object it created"
                        + " (no Location header, id, _id, uuid or the like), so the scan cannot delete it: that"
                        + " object remains, and SAFE sent the operation no probes";
            }
            return operation + " refused the scan's valid request (HTTP " + response.status() + "), so it showed no"
                    + " id of a created object: SAFE sent the operation no probes, as it could not delete what they"
                    + " might create";
        }

        /**
         * Notes are few and short: the first ones seen stand for the rest. Like findings, they go without the
         * values of the scan's own credentials.
         */
        private void note(String text) {
            String redacted = withoutSecrets(text);
            synchronized (notes) {
                if (notes.size() < MAX_NOTES) {
                    notes.add(redacted);
                }
            }
        }

        private ProbeRequest probe(SynthesizedRequest synthesized, IdentitySession identity) {
            return ScanContext.toProbe(synthesized, identity.credentials());
        }

        private void runChecks(ScanContext context) {
            List<Runnable> tasks = new ArrayList<>();
            for (Check check : checks) {
                tasks.add(() -> skippingUnsendable(check, "the target", () -> check.checkTarget(context)));
                for (Baseline baseline : context.baselines()) {
                    String operation = baseline.operation().method() + " "
                            + baseline.operation().pathTemplate();
                    tasks.add(
                            () -> skippingUnsendable(check, operation, () -> check.checkOperation(context, baseline)));
                }
            }
            runAll(tasks);
            runAll(checks.stream()
                    .map(check -> (Runnable)
                            () -> skippingUnsendable(check, "the target", () -> check.afterOtherChecks(context)))
                    .toList());
        }

        /**
         * Runs one check's task; a request of it that cannot be sent (a URL that would leave the target or is
         * none, a header HTTP does not allow) ends that task only, with a note: one odd value must not cost the
         * scan its other checks and its clean-up.
         */
        private void skippingUnsendable(Check check, String where, Runnable task) {
            try {
                task.run();
            } catch (OutOfScopeException | UnsendableRequestException e) {
                note(check.getClass().getSimpleName() + " skipped " + where + ": a request it built could not be"
                        + " sent (" + reason(e) + ")");
            }
        }

        /**
         * A scan stopped by its budget or time box, or by a failing check, still removes what it created: a few
         * DELETEs beyond the limit, on a client of their own with a small budget and time box of its own.
         */
        private void cleanUpAfterStop(RequestSynthesizer synthesizer, IdentitySelector identities) {
            int resources = created.values().stream().mapToInt(List::size).sum();
            ExecutionLimits cleanupLimits = new ExecutionLimits(
                    1,
                    request.limits().requestsPerSecond(),
                    resources * 2 + 2,
                    CLEANUP_TIME_BOX,
                    request.limits().requestTimeout());
            TargetClient scanClient = target;
            try (TargetClient cleanupClient = new TargetClient(base, cleanupLimits, request.trustAnyCertificate())) {
                target = cleanupClient;
                phase = "cleanup";
                cleanUp(synthesizer, identities, true);
                cleanupRequests = cleanupClient.requestsSent();
            } catch (ScanStoppedException | TargetUnreachableException e) {
                // Best effort: what could not be deleted stays, as it would after a crash.
            } finally {
                target = scanClient;
            }
        }

        /**
         * Deletes what the scan created, where the API has a DELETE for it; that exchange is also a baseline.
         *
         * @param onlyCreated true after a stop: only the scan's own resources go, even in AGGRESSIVE
         */
        private void cleanUp(RequestSynthesizer synthesizer, IdentitySelector identities, boolean onlyCreated) {
            for (PlannedOperation op : plan.operations()) {
                if (!op.method().equals("DELETE")) {
                    continue;
                }
                SynthesizedRequest synthesized = synthesizer.synthesize(op, harvested);
                List<SynthesizedRequest> targets = onlyCreated
                        ? new ArrayList<>(createdIn(op, synthesized))
                        : new ArrayList<>(onAllowedResources(op, synthesized));
                if (!onlyCreated && request.profile() == ScanProfile.AGGRESSIVE) {
                    // AGGRESSIVE also deletes the harvested resource above; the ones the scan created go too.
                    targets.addAll(createdIn(op, synthesized));
                }
                for (SynthesizedRequest onResource : targets) {
                    guarded(() -> baseline(op, onResource, deleterOf(op, onResource, identities)));
                }
            }
        }

        /**
         * Who deletes the resource: the identity that created it (checks create as each identity, and on an API
         * that checks ownership no other may delete it), else the operation's usual identity. Never another one
         * after a refusal: a POST may answer with an object it did not create (get-or-create), which is not the
         * scan's to delete.
         */
        private IdentitySession deleterOf(
                PlannedOperation op, SynthesizedRequest onResource, IdentitySelector identities) {
            String concrete = onResource.pathAndQuery();
            int query = concrete.indexOf('?');
            concrete = query < 0 ? concrete : concrete.substring(0, query);
            int slash = concrete.lastIndexOf('/');
            IdentitySession creator = creators.get(concrete.substring(0, slash) + "\n" + concrete.substring(slash + 1));
            return creator != null && identities.canCall(creator, op) ? creator : identityFor(identities, op);
        }

        private void runAll(List<Runnable> tasks) {
            if (stopped.get() != null) {
                throw stopped.get();
            }
            try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
                // The target client bounds requests in flight; this bounds threads waiting for it.
                java.util.concurrent.Semaphore parallel = new java.util.concurrent.Semaphore(
                        Math.max(4, request.limits().concurrency() * 2));
                List<Future<?>> futures = new ArrayList<>();
                for (Runnable task : tasks) {
                    futures.add(executor.submit(() -> {
                        parallel.acquireUninterruptibly();
                        try {
                            if (stopped.get() == null) {
                                guarded(task);
                            }
                        } finally {
                            parallel.release();
                        }
                    }));
                }
                for (Future<?> future : futures) {
                    try {
                        future.get();
                    } catch (ExecutionException e) {
                        throw new IllegalStateException("a check failed: " + e.getCause(), e.getCause());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new ScanStoppedException(ScanStoppedException.Limit.TIME_BOX, "interrupted");
                    }
                }
            }
            if (stopped.get() != null) {
                throw stopped.get();
            }
        }

        /** Runs a task, turning a budget or time-box stop into the run's stop reason. */
        private void guarded(Runnable task) {
            try {
                task.run();
            } catch (ScanStoppedException e) {
                stopped.compareAndSet(null, e);
            } catch (TargetUnreachableException e) {
                // A probe without an answer proves nothing; the check moves on.
            } catch (ProbeWithheldException e) {
                // SAFE keeps probes off an operation whose objects it could not delete; noted at its baseline.
            } catch (OutOfScopeException | UnsendableRequestException e) {
                // A baseline or clean-up request with a value HTTP cannot carry: that one request is not sent.
                note("a request could not be sent and was left out (" + reason(e) + ")");
            }
        }

        /** Why a request was not sent, without its URL, whose query may hold a credential. */
        private static String reason(RuntimeException e) {
            return e instanceof OutOfScopeException ? "its URL is not one below the target" : e.getMessage();
        }

        private void report(Finding finding) {
            if (findings.putIfAbsent(finding.fingerprint(), finding) == null) {
                emit(new ScanEvent.FindingReported(request.scanId(), 0, Instant.now(), withoutSecrets(finding)));
            }
        }

        /** The text without the values of the scan's own credentials, fetched tokens included. */
        private String withoutSecrets(String text) {
            IdentitySelector identities = selector;
            if (identities == null) {
                return text;
            }
            Set<String> secrets = new java.util.HashSet<>();
            identities.sessions().forEach(session -> secrets.addAll(session.secrets()));
            return Evidence.redactor(secrets).apply(text);
        }

        /** Without the values of the scan's own credentials, fetched tokens included, wherever they appear. */
        private Finding withoutSecrets(Finding finding) {
            IdentitySelector identities = selector;
            if (identities == null) {
                return finding;
            }
            Set<String> secrets = new java.util.HashSet<>();
            identities.sessions().forEach(session -> secrets.addAll(session.secrets()));
            return finding.redacting(secrets);
        }

        private void progress(boolean force) {
            long now = System.nanoTime();
            synchronized (this) {
                if (!force && now - lastProgressNanos < PROGRESS_INTERVAL.toNanos()) {
                    return;
                }
                lastProgressNanos = now;
            }
            emit(new ScanEvent.Progress(
                    request.scanId(),
                    0,
                    Instant.now(),
                    phase,
                    target == null ? 0 : target.requestsSent(),
                    operationsDone.get(),
                    plan.operations().size(),
                    findings.size()));
        }

        /** Stamps the sequence number and hands the event over; one event at a time, in order. */
        private synchronized void emit(ScanEvent event) {
            long n = seq.getAndIncrement();
            ScanEvent stamped = switch (event) {
                case ScanEvent.ScanStarted e ->
                    new ScanEvent.ScanStarted(
                            e.scanId(),
                            n,
                            e.time(),
                            e.target(),
                            e.specTitle(),
                            e.operations(),
                            e.profile(),
                            e.identities());
                case ScanEvent.Progress e ->
                    new ScanEvent.Progress(
                            e.scanId(),
                            n,
                            e.time(),
                            e.phase(),
                            e.requestsSent(),
                            e.operationsDone(),
                            e.operationsTotal(),
                            e.findings());
                case ScanEvent.FindingReported e -> new ScanEvent.FindingReported(e.scanId(), n, e.time(), e.finding());
                case ScanEvent.ScanFinished e ->
                    new ScanEvent.ScanFinished(
                            e.scanId(),
                            n,
                            e.time(),
                            e.outcome(),
                            e.reason(),
                            e.requestsSent(),
                            e.durationMillis(),
                            e.findingsBySeverity());
            };
            sink.accept(stamped);
        }
    }
}
