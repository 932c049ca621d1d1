package io.ventiapi.engine.check.access;

import io.ventiapi.engine.Confidence;
import io.ventiapi.engine.Evidence;
import io.ventiapi.engine.OwaspCategory;
import io.ventiapi.engine.Severity;
import io.ventiapi.engine.check.Baseline;
import io.ventiapi.engine.check.Check;
import io.ventiapi.engine.check.JsonValues;
import io.ventiapi.engine.check.ResponseSimilarity;
import io.ventiapi.engine.check.Rule;
import io.ventiapi.engine.check.ScanContext;
import io.ventiapi.engine.http.ProbeResponse;
import io.ventiapi.engine.http.Redactor;
import io.ventiapi.engine.identity.IdentitySession;
import io.ventiapi.engine.plan.DependencyEdge;
import io.ventiapi.engine.plan.OperationKinds;
import io.ventiapi.engine.plan.ParameterLocation;
import io.ventiapi.engine.plan.PlannedOperation;
import io.ventiapi.engine.synth.HarvestedValues;
import io.ventiapi.engine.synth.SynthesizedRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * API1 Broken Object Level Authorization. With two identities of the same role, A and B: objects A listed (and
 * that B's own listing does not show) or that A created are read, changed and deleted as B. An object B's own
 * listing shows in full, or one of a collection whose listings show A and B objects in common, is reported at FIRM
 * only: it may be shared by design (a forum post, a catalogue), or the listing may leak everyone's objects as well
 * (all users' orders). Changes and deletes
 * only ever touch objects the scan created for the purpose, in every profile but AGGRESSIVE. Numeric ids are
 * also enumerated: neighbours of a real id that the identity's own listings do not show, or else an object B
 * creates right after one of A's, answering A like a real object while a far-away id does not.
 */
public final class ObjectLevelAuthorizationCheck implements Check {

    private static final String REMEDIATION = "Check on every request that the caller owns (or may access) the "
            + "object the id names, in the data layer (e.g. WHERE owner_id = :caller), not only that the caller "
            + "is logged in. Prefer random, unguessable ids, but do not rely on them.";

    static final Rule BOLA = new Rule(
            "access.bola",
            "Another user's object can be accessed by its id",
            OwaspCategory.API1,
            639,
            Severity.HIGH,
            "A second user of the same role read, changed or deleted an object of the first user by putting its id in the request.",
            REMEDIATION);
    static final Rule ENUMERATION = new Rule(
            "access.bola-enumeration",
            "Sequential ids reveal other users' objects",
            OwaspCategory.API1,
            639,
            Severity.HIGH,
            "Ids next to the caller's own are other users' objects, and the API serves them to the caller.",
            REMEDIATION);

    /** How far above the identity's own object a peer's object created right after it may be. */
    private static final long NEARBY = 10;

    private static final java.util.regex.Pattern NUMERIC_ID = java.util.regex.Pattern.compile("\\d{1,12}");
    /** Values a marker would not pass for: e-mail addresses, URLs, dates, UUIDs. */
    private static final java.util.regex.Pattern FORMATTED = java.util.regex.Pattern.compile(
            "(?i).*@.*|[a-z][a-z0-9+.-]*://.*|\\d{4}-\\d{2}-\\d{2}.*|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-.*");

    private static final String SHARED_NOTE = " '%s''s own listing shows the object in full too: it may be shared "
            + "by design (a forum post everyone reads), or the listing leaks every user's objects as well (all "
            + "users' orders); confirm which with the API's owner.";

    private static final String SHARED_COLLECTION_NOTE = " The own listings of '%s' and '%s' show objects in "
            + "common, in full: the collection may be shared by design (a catalogue or forum every member reads), "
            + "or its listing leaks every user's objects (all users' orders); confirm which with the API's owner.";

    @Override
    public List<Rule> rules() {
        return List.of(BOLA, ENUMERATION);
    }

    @Override
    public void checkOperation(ScanContext context, Baseline baseline) {
        PlannedOperation op = baseline.operation();
        String parameter = OperationKinds.itemParameter(op);
        if (parameter == null || !baseline.identity().isAuthenticated() || !context.requiresAuthentication(baseline)) {
            return;
        }
        // The owner is a user with a peer of its role, whoever sent the baseline: an administrator listed first
        // reads everyone's objects by right. Without such a pair, enumeration still runs as a non-privileged
        // baseline identity.
        Optional<IdentitySession> owner = SameRolePeers.ownerFor(context, baseline.identity(), op);
        if (owner.isEmpty() && baseline.identity().isPrivileged()) {
            return;
        }
        Baseline own = owner.map(identity -> as(context, baseline, identity)).orElse(baseline);
        List<IdentitySession> peers = SameRolePeers.peersOf(context, own.identity(), op);
        if (!own.response().isSuccess()) {
            // The synthesized id named nothing this identity may read: an object it creates itself still can.
            if (op.method().equals("GET")) {
                peers.stream()
                        .filter(peer -> readCreatedObject(context, own, parameter, peer))
                        .findFirst();
            }
            return;
        }
        switch (op.method()) {
            case "GET" -> {
                for (IdentitySession peer : peers) {
                    if (readListedObject(context, own, parameter, peer, own != baseline)
                            || readCreatedObject(context, own, parameter, peer)) {
                        break;
                    }
                }
                enumerate(context, own, parameter);
            }
            case "PUT", "PATCH" ->
                peers.stream()
                        .filter(peer -> changeCreatedObject(context, own, parameter, peer))
                        .findFirst();
            default -> {}
        }
    }

    /**
     * The baseline request as the identity sees it: the baseline itself when it sent it. A write is not sent
     * again: its probes only take the request as a template and write to objects they create.
     */
    private static Baseline as(ScanContext context, Baseline baseline, IdentitySession identity) {
        if (identity == baseline.identity()) {
            return baseline;
        }
        ProbeResponse view = baseline.operation().method().equals("GET")
                ? context.viewAs(baseline.operation().id(), identity).orElseThrow()
                : baseline.response();
        return new Baseline(baseline.operation(), baseline.request(), identity, view);
    }

    /** DELETE baselines only exist at clean-up, after the checks: deletion is probed from the target level. */
    @Override
    public void checkTarget(ScanContext context) {
        for (PlannedOperation delete : context.plan().operations()) {
            String parameter = OperationKinds.itemParameter(delete);
            if (!delete.method().equals("DELETE") || parameter == null || !delete.requiresAuthentication()) {
                continue;
            }
            // One owner per operation is enough.
            Optional<IdentitySession> owner = context.sessions().stream()
                    .findFirst()
                    .flatMap(first -> SameRolePeers.ownerFor(context, first, delete));
            for (IdentitySession peer :
                    owner.map(o -> SameRolePeers.peersOf(context, o, delete)).orElse(List.of())) {
                if (deleteCreatedObject(context, delete, parameter, owner.get(), peer)) {
                    break;
                }
            }
        }
    }

    /**
     * A's object, listed to A and not to B, read by B. When A did not send the baseline, whose id came from
     * another identity's answers, A's own listing must show the id.
     */
    private static boolean readListedObject(
            ScanContext context, Baseline baseline, String parameter, IdentitySession peer, boolean substituted) {
        String id = baseline.request().valueOf(ParameterLocation.PATH, parameter);
        if (id == null
                || !ownedByOther(context, baseline.operation(), parameter, id, peer)
                || (substituted && !shownTo(context, baseline.operation(), parameter, id, baseline.identity()))) {
            return false;
        }
        return readAs(
                context,
                baseline,
                baseline.request(),
                peer,
                id,
                null,
                "listed to " + baseline.identity().label() + " but not in " + peer.label() + "'s own listing",
                () -> sharedNote(
                        context, baseline.operation(), parameter, id, baseline.response(), peer, baseline.identity()));
    }

    /** A object A creates now, read by B. */
    private static boolean readCreatedObject(
            ScanContext context, Baseline baseline, String parameter, IdentitySession peer) {
        Optional<Created> created = create(context, baseline.operation(), baseline.identity(), true);
        if (created.isEmpty()) {
            return false;
        }
        Optional<String> id = created.map(Created::id);
        SynthesizedRequest onCreated = baseline.request().with(ParameterLocation.PATH, parameter, id.get());
        ProbeResponse ownView = context.send(onCreated, baseline.identity().credentials());
        if (!ownView.isSuccess()) {
            return false;
        }
        // B's answer must show the marker A wrote: ids numbered per account name B's own object as well.
        String marker = created.get().marker();
        boolean shown = marker != null && ownView.bodyText().contains(marker);
        Baseline own = new Baseline(baseline.operation(), onCreated, baseline.identity(), ownView);
        return readAs(
                context,
                own,
                onCreated,
                peer,
                id.get(),
                shown ? marker : null,
                "created by " + baseline.identity().label() + " a moment before",
                () -> sharedNote(
                        context, baseline.operation(), parameter, id.get(), ownView, peer, baseline.identity()));
    }

    /**
     * B asks for A's object twice; reported when B gets A's data each time: the marker A wrote into it, or, without
     * one, A's values. An answer only shaped like A's may be B's own object under the same id, when ids are
     * numbered per account ({@code /notes/21} is always the caller's note 21).
     *
     * @param marker the marker A's own answer shows, or null
     */
    private static boolean readAs(
            ScanContext context,
            Baseline own,
            SynthesizedRequest request,
            IdentitySession peer,
            String id,
            String marker,
            String provenance,
            java.util.function.Supplier<Optional<String>> sharedNote) {
        ProbeResponse first = context.send(request, peer.credentials());
        if (!first.isSuccess() || !ResponseSimilarity.same(own.response(), first)) {
            return false;
        }
        java.util.function.Predicate<ProbeResponse> ownersData = marker != null
                ? answer -> answer.bodyText().contains(marker)
                : carriesValuesOf(
                        own.response(), context.send(request, own.identity().credentials()), id);
        if (!ownersData.test(first)) {
            return false;
        }
        ProbeResponse second = context.send(request, peer.credentials());
        if (!second.isSuccess() || !ResponseSimilarity.same(own.response(), second) || !ownersData.test(second)) {
            return false;
        }
        // Shared by design (a forum post), or a listing that leaks everyone's objects (GET /orders answering every
        // user's orders): reported, but not confirmed.
        Optional<String> shared = sharedNote.get();
        PlannedOperation op = own.operation();
        context.report(BOLA.finding(
                shared.isPresent() ? Confidence.FIRM : Confidence.CONFIRMED,
                op.method(),
                op.pathTemplate(),
                "path:" + OperationKinds.itemParameter(op),
                new Evidence(
                        List.of(Redactor.excerpt(first), Redactor.excerpt(own.response())),
                        "Object " + id + " was " + provenance + ". Identity '" + peer.label()
                                + "' (same role as '" + own.identity().label() + "') asked for it and got HTTP "
                                + first.status() + " with the owner's data ("
                                + (marker != null ? "the marker " + marker + " the owner wrote into it" : "its values")
                                + "), twice (first exchange); the owner's own request is the second exchange."
                                + shared.orElse(""))));
        return true;
    }

    /**
     * Whether an answer carries the owner's values: every scalar property the owner's object showed alike in two
     * reads (a timestamp of the read is no value of the object) with the same value, one of them more than the id.
     * Without any such value, nothing tells the owner's object from another, and nothing is.
     */
    private static java.util.function.Predicate<ProbeResponse> carriesValuesOf(
            ProbeResponse ownView, ProbeResponse ownAgain, String id) {
        Optional<JsonNode> before = JsonValues.firstObject(ownView).map(object -> unwrapped(object, id));
        Optional<JsonNode> after = JsonValues.firstObject(ownAgain).map(object -> unwrapped(object, id));
        if (before.isEmpty() || after.isEmpty()) {
            // Not a JSON object: the very same bytes.
            return answer -> ownAgain.isSuccess() && java.util.Arrays.equals(answer.body(), ownAgain.body());
        }
        var stable = tools.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        boolean beyondId = false;
        for (var property : before.get().properties()) {
            JsonNode again = after.get().get(property.getKey());
            if (property.getValue().isValueNode()
                    && again != null
                    && again.isValueNode()
                    && property.getValue().asString().equals(again.asString())) {
                stable.set(property.getKey(), property.getValue());
                beyondId |= !property.getValue().asString().equals(id);
            }
        }
        boolean comparable = beyondId;
        return answer -> comparable
                && JsonValues.firstObject(answer)
                        .map(object -> covers(unwrapped(object, id), stable))
                        .orElse(false);
    }

    /** B changes an object A created; confirmed when A reads the change back. */
    private static boolean changeCreatedObject(
            ScanContext context, Baseline baseline, String parameter, IdentitySession peer) {
        PlannedOperation op = baseline.operation();
        Optional<PlannedOperation> read = OperationKinds.itemOperation(
                context.plan(),
                OperationKinds.creatingOperation(context.plan(), op).orElse(op),
                "GET");
        Optional<String> id = createAs(context, op, baseline.identity());
        if (read.isEmpty() || id.isEmpty() || !(baseline.request().body() instanceof Map<?, ?> body)) {
            return false;
        }
        String marker = newMarker();
        String property = body.entrySet().stream()
                .filter(e -> e.getValue() instanceof String)
                .map(e -> String.valueOf(e.getKey()))
                .findFirst()
                .orElse(null);
        if (property == null) {
            return false;
        }
        SynthesizedRequest change = baseline.request()
                .with(ParameterLocation.PATH, parameter, id.get())
                .with(ParameterLocation.BODY, property, marker);
        ProbeResponse changed = context.send(change, peer.credentials());
        if (!changed.isSuccess()) {
            return false;
        }
        SynthesizedRequest readBack = context.synthesizer()
                .synthesize(read.get(), new HarvestedValues())
                .with(ParameterLocation.PATH, OperationKinds.itemParameter(read.get()), id.get());
        ProbeResponse ownerView = context.send(readBack, baseline.identity().credentials());
        if (!ownerView.isSuccess() || !ownerView.bodyText().contains(marker)) {
            return false;
        }
        context.report(
                BOLA.finding(
                        Confidence.CONFIRMED,
                        op.method(),
                        op.pathTemplate(),
                        "path:" + parameter,
                        new Evidence(
                                List.of(Redactor.excerpt(changed), Redactor.excerpt(ownerView)),
                                "Identity '" + baseline.identity().label() + "' created object " + id.get()
                                        + "; identity '" + peer.label() + "' (same role) set its " + property + " to "
                                        + marker + " and got HTTP " + changed.status()
                                        + " (first exchange); the owner then read the object back with the new value (second exchange).")));
        return true;
    }

    /** B deletes an object A created; confirmed when A can no longer read it. */
    private static boolean deleteCreatedObject(
            ScanContext context,
            PlannedOperation delete,
            String parameter,
            IdentitySession owner,
            IdentitySession peer) {
        Optional<PlannedOperation> create = OperationKinds.creatingOperation(context.plan(), delete);
        Optional<PlannedOperation> read = OperationKinds.itemOperation(context.plan(), create.orElse(delete), "GET");
        if (create.isEmpty() || read.isEmpty()) {
            return false;
        }
        Optional<String> id = createAs(context, delete, owner);
        if (id.isEmpty()) {
            return false;
        }
        SynthesizedRequest readRequest = context.synthesizer()
                .synthesize(read.get(), new HarvestedValues())
                .with(ParameterLocation.PATH, OperationKinds.itemParameter(read.get()), id.get());
        ProbeResponse before = context.send(readRequest, owner.credentials());
        if (!before.isSuccess()) {
            return false;
        }
        SynthesizedRequest deleteRequest = context.synthesizer()
                .synthesize(delete, new HarvestedValues())
                .with(ParameterLocation.PATH, parameter, id.get());
        ProbeResponse deleted = context.send(deleteRequest, peer.credentials());
        if (!deleted.isSuccess()) {
            return false;
        }
        ProbeResponse after = context.send(readRequest, owner.credentials());
        if (after.status() != 404 && after.status() != 410) {
            return false;
        }
        context.report(BOLA.finding(
                Confidence.CONFIRMED,
                delete.method(),
                delete.pathTemplate(),
                "path:" + parameter,
                new Evidence(
                        List.of(Redactor.excerpt(deleted), Redactor.excerpt(before), Redactor.excerpt(after)),
                        "Identity '" + owner.label() + "' created object " + id.get() + " and could read it "
                                + "(second exchange); identity '" + peer.label() + "' (same role) deleted it with HTTP "
                                + deleted.status() + " (first exchange), after which the owner got HTTP "
                                + after.status() + " for it (third exchange).")));
        return true;
    }

    /** Creates an object of the item operation's collection as the identity, with its create baseline's body. */
    private static Optional<String> createAs(ScanContext context, PlannedOperation item, IdentitySession identity) {
        return create(context, item, identity, false).map(Created::id);
    }

    /** An object the scan created: its id, and the marker written into one of its text properties, or null. */
    private record Created(String id, String marker) {}

    /**
     * Creates an object of the item operation's collection as the identity, with its create baseline's body; when
     * marked, with a fresh marker in a text property of the body, or without one when the API refuses it there
     * (an enum, a format).
     */
    private static Optional<Created> create(
            ScanContext context, PlannedOperation item, IdentitySession identity, boolean marked) {
        Optional<Baseline> create = OperationKinds.creatingOperation(context.plan(), item)
                .filter(op -> !context.withheld(op))
                .flatMap(op -> context.baseline(op.id()));
        if (create.isEmpty()) {
            return Optional.empty();
        }
        SynthesizedRequest request = create.get().request();
        String key = clientChosenKey(request, OperationKinds.itemParameter(item));
        // A baseline refused (409 for its key: an earlier scan left an object of that name) does not
        // stop a create under a fresh key, which fails alike if its body was at fault; without a
        // key of the client's choosing, the baseline's body must have been accepted.
        if (key == null && !create.get().response().isSuccess()) {
            return Optional.empty();
        }
        String chosen = null;
        if (key != null) {
            chosen = newMarker();
            request = request.with(ParameterLocation.BODY, key, chosen);
        }
        String property = marked ? markerProperty(request, key) : null;
        if (property != null) {
            String marker = newMarker();
            ProbeResponse created =
                    context.send(request.with(ParameterLocation.BODY, property, marker), identity.credentials());
            if (created.isSuccess()) {
                return idOf(created, chosen).map(id -> new Created(id, marker));
            }
        }
        ProbeResponse created = context.send(request, identity.credentials());
        return created.isSuccess() ? idOf(created, chosen).map(id -> new Created(id, null)) : Optional.empty();
    }

    private static Optional<String> idOf(ProbeResponse created, String chosenKey) {
        Optional<String> id = JsonValues.createdId(created);
        return id.isPresent() ? id : Optional.ofNullable(chosenKey);
    }

    private static String newMarker() {
        return "venti-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * A text property of the create body to carry a marker: the first string one that is not the object's key
     * and whose value is not an e-mail address, URL, date or UUID, which a marker would not pass for.
     */
    private static String markerProperty(SynthesizedRequest create, String key) {
        if (!(create.body() instanceof Map<?, ?> body)) {
            return null;
        }
        return body.entrySet().stream()
                .filter(e -> e.getValue() instanceof String value
                        && !String.valueOf(e.getKey()).equals(key)
                        && !FORMATTED.matcher(value).matches())
                .map(e -> String.valueOf(e.getKey()))
                .findFirst()
                .orElse(null);
    }

    /**
     * The create body's property that names the object in its item path, when the client chooses it
     * ({@code POST /books {"title": …}} and {@code GET /books/{title}}): matched by name, ignoring case, '-' and
     * '_'. Such APIs often answer a create without any id; the scan then picks a fresh value itself.
     */
    static String clientChosenKey(SynthesizedRequest create, String itemParameter) {
        if (itemParameter == null || !(create.body() instanceof Map<?, ?> body)) {
            return null;
        }
        String wanted = normalized(itemParameter);
        return body.entrySet().stream()
                .filter(e -> e.getValue() instanceof String
                        && normalized(String.valueOf(e.getKey())).equals(wanted))
                .map(e -> String.valueOf(e.getKey()))
                .findFirst()
                .orElse(null);
    }

    private static String normalized(String name) {
        return name.toLowerCase(java.util.Locale.ROOT).replace("_", "").replace("-", "");
    }

    /**
     * Whether the id belongs to someone other than the peer: the peer's own answers to the operations that
     * list such ids succeed and do not contain it. Without such a listing nothing is assumed.
     */
    private static boolean ownedByOther(
            ScanContext context, PlannedOperation op, String parameter, String id, IdentitySession peer) {
        List<ProbeResponse> listings = listingsOf(context, op, parameter, peer);
        return !listings.isEmpty()
                && listings.stream().noneMatch(l -> JsonValues.scalars(l).contains(id));
    }

    /** Whether one of the identity's own listings that supply ids of the operation shows the id. */
    private static boolean shownTo(
            ScanContext context, PlannedOperation op, String parameter, String id, IdentitySession identity) {
        return listingsOf(context, op, parameter, identity).stream()
                .anyMatch(l -> JsonValues.scalars(l).contains(id));
    }

    /** The identity's successful answers to the GET operations that supply ids for the parameter. */
    private static List<ProbeResponse> listingsOf(
            ScanContext context, PlannedOperation op, String parameter, IdentitySession identity) {
        List<ProbeResponse> listings = new ArrayList<>();
        for (DependencyEdge edge : context.plan().dependencies().producersOf(op.id())) {
            Optional<PlannedOperation> producer = context.plan().operation(edge.producerId());
            if (edge.parameter().equals(parameter)
                    && producer.isPresent()
                    && producer.get().method().equals("GET")) {
                answerAs(context, edge.producerId(), identity)
                        .filter(ProbeResponse::isSuccess)
                        .ifPresent(listings::add);
            }
        }
        return listings;
    }

    /**
     * The identity's answer to an operation's baseline request: the baseline's own when the identity sent it,
     * else sent once as the identity, for reads only (sent again, a create would create).
     */
    private static Optional<ProbeResponse> answerAs(ScanContext context, String operationId, IdentitySession identity) {
        Optional<Baseline> baseline = context.baseline(operationId);
        if (baseline.isEmpty()) {
            return Optional.empty();
        }
        if (baseline.get().identity() == identity) {
            return Optional.of(baseline.get().response());
        }
        return baseline.get().operation().method().equals("GET")
                ? context.viewAs(operationId, identity)
                : Optional.empty();
    }

    /**
     * Why the object may be readable to the reader by design, as a note for the finding; empty when nothing says so.
     * The reader's own listings that supply ids of the operation, read afresh (the object may be newer than the
     * scan's earlier reads), show this object with everything its item answer shows: an object listed in full
     * to its reader is shared by design, like a forum post. Or the reader's and the other identity's listings
     * show objects in common, in full: the collection is listed to both, shared by design (a catalogue every
     * member reads) or leaking everyone's objects, whichever page this object is on. A listing of ids or titles
     * whose item adds a secret, a cost or an address is neither.
     */
    private static Optional<String> sharedNote(
            ScanContext context,
            PlannedOperation op,
            String parameter,
            String id,
            ProbeResponse item,
            IdentitySession reader,
            IdentitySession other) {
        Optional<JsonNode> shown = JsonValues.firstObject(item).map(object -> unwrapped(object, id));
        if (shown.isEmpty()) {
            return Optional.empty();
        }
        List<ProbeResponse> readers = currentListings(context, op, parameter, reader);
        if (readers.stream().anyMatch(listing -> listingShows(listing, id, item))) {
            return Optional.of(SHARED_NOTE.formatted(reader.label()));
        }
        String key = idProperty(shown.get(), id);
        if (other == null || key == null) {
            return Optional.empty();
        }
        Set<String> listedToReader = listedInFull(readers, key, shown.get());
        boolean common = listedInFull(currentListings(context, op, parameter, other), key, shown.get()).stream()
                .anyMatch(listedToReader::contains);
        return common ? Optional.of(SHARED_COLLECTION_NOTE.formatted(reader.label(), other.label())) : Optional.empty();
    }

    /** The identity's answers now to the GET operations that supply ids for the parameter, where they succeed. */
    private static List<ProbeResponse> currentListings(
            ScanContext context, PlannedOperation op, String parameter, IdentitySession identity) {
        List<ProbeResponse> listings = new ArrayList<>();
        for (DependencyEdge edge : context.plan().dependencies().producersOf(op.id())) {
            if (!edge.parameter().equals(parameter)) {
                continue;
            }
            Optional<Baseline> producer = context.baseline(edge.producerId());
            if (producer.isEmpty()
                    || !producer.get().operation().method().equals("GET")
                    || !context.canCall(identity, producer.get().operation())) {
                continue;
            }
            ProbeResponse listing = context.send(producer.get().request(), identity.credentials());
            if (listing.isSuccess()) {
                listings.add(listing);
            }
        }
        return listings;
    }

    /** The property of the item that holds its id, one named like an id first. */
    private static String idProperty(JsonNode item, String id) {
        String found = null;
        for (var property : item.properties()) {
            if (property.getValue().isValueNode()
                    && property.getValue().asString().equals(id)) {
                if (property.getKey().toLowerCase(java.util.Locale.ROOT).endsWith("id")) {
                    return property.getKey();
                }
                found = found == null ? property.getKey() : found;
            }
        }
        return found;
    }

    /** The ids (under the key) of the listed objects that have every property the item has. */
    private static Set<String> listedInFull(List<ProbeResponse> listings, String key, JsonNode item) {
        Set<String> ids = new java.util.HashSet<>();
        for (ProbeResponse listing : listings) {
            for (JsonNode listed : JsonValues.items(listing)) {
                JsonNode value = listed.get(key);
                if (value != null
                        && value.isValueNode()
                        && item.propertyNames().stream().allMatch(listed::has)) {
                    ids.add(value.asString());
                }
            }
        }
        return ids;
    }

    /**
     * Whether an object of the listing names the id and shows everything the item answer shows. A top-level
     * envelope ({@code {"success":true,"data":[…],"total":3}}) is no listed object, and an item answer wrapped in
     * one ({@code {"success":true,"data":{"id":3,…}}}) is compared by the object inside.
     */
    static boolean listingShows(ProbeResponse listing, String id, ProbeResponse item) {
        Optional<JsonNode> shown = JsonValues.firstObject(item).map(object -> unwrapped(object, id));
        if (shown.isEmpty()) {
            return false;
        }
        return JsonValues.items(listing).stream().anyMatch(listed -> names(listed, id) && covers(listed, shown.get()));
    }

    /** The object itself when it names the id, or else its one object-valued property that does. */
    private static JsonNode unwrapped(JsonNode object, String id) {
        if (names(object, id)) {
            return object;
        }
        for (JsonNode value : object) {
            if (value.isObject() && names(value, id)) {
                return value;
            }
        }
        return object;
    }

    private static boolean names(JsonNode listed, String id) {
        for (JsonNode value : listed) {
            if (value.isValueNode() && value.asString().equals(id)) {
                return true;
            }
        }
        return false;
    }

    /** Every property of the item is in the listed object, scalars with the same value. */
    private static boolean covers(JsonNode listed, JsonNode item) {
        for (var property : item.properties()) {
            JsonNode there = listed.get(property.getKey());
            if (there == null
                    || (property.getValue().isValueNode()
                            && (!there.isValueNode()
                                    || !property.getValue().asString().equals(there.asString())))
                    || (property.getValue().isContainer()
                            && property.getValue().getNodeType() != there.getNodeType())) {
                return false;
            }
        }
        return true;
    }

    /**
     * Numeric ids next to a real one, served to the identity like a real object while a far-away id is not: first
     * neighbours that its own listings do not show, then, when none is served (a listing of every user's objects
     * shows them all) or a listing shows only a page, an object a peer creates right after one of the identity's
     * own.
     */
    private static void enumerate(ScanContext context, Baseline baseline, String parameter) {
        String value = baseline.request().valueOf(ParameterLocation.PATH, parameter);
        if (value == null || !NUMERIC_ID.matcher(value).matches()) {
            return;
        }
        long id = Long.parseLong(value);
        String identity = baseline.identity().label();
        for (long candidate : unlistedNeighbours(context, baseline.operation(), id, baseline.identity())) {
            ProbeResponse found = servedLikeAnObject(context, baseline, parameter, candidate);
            // Created meanwhile by another probe of this scan: the identity's own object after all.
            if (found == null || context.createdIds().contains(Long.toString(candidate))) {
                continue;
            }
            reportUnlessAnyIdIsServed(
                    context,
                    baseline,
                    parameter,
                    candidate,
                    found,
                    "Identity '" + identity + "' has object " + id + " (third exchange); id " + candidate
                            + ", which none of its own listings show,");
            return;
        }
        createdNeighbour(context, baseline, parameter);
    }

    /**
     * Neighbours (±1, ±2) of the id that are neither the scan's own objects nor in the identity's listings; none
     * when a listing says it shows only a page ({@link JsonValues#showsPart}): the identity's own objects on
     * other pages would pass for someone else's.
     */
    private static List<Long> unlistedNeighbours(
            ScanContext context, PlannedOperation op, long id, IdentitySession identity) {
        Set<String> own = new java.util.HashSet<>(context.createdIds());
        boolean listed = false;
        for (DependencyEdge edge : context.plan().dependencies().producersOf(op.id())) {
            Optional<ProbeResponse> answer = answerAs(context, edge.producerId(), identity);
            if (answer.isPresent() && answer.get().isSuccess()) {
                if (JsonValues.showsPart(answer.get())) {
                    return List.of();
                }
                listed = true;
                own.addAll(JsonValues.scalars(answer.get()));
            }
        }
        List<Long> candidates = new ArrayList<>();
        for (long delta : listed ? new long[] {-1, 1, -2, 2} : new long[0]) {
            if (id + delta > 0 && !own.contains(Long.toString(id + delta))) {
                candidates.add(id + delta);
            }
        }
        return candidates;
    }

    /**
     * A peer's object created right after one of the identity's own, with an id at most {@value #NEARBY} above
     * it: an id the identity could guess, and known to be someone else's whatever the listings show.
     */
    private static void createdNeighbour(ScanContext context, Baseline baseline, String parameter) {
        PlannedOperation op = baseline.operation();
        IdentitySession identity = baseline.identity();
        Optional<IdentitySession> peer =
                SameRolePeers.peersOf(context, identity, op).stream().findFirst();
        Optional<Long> own = peer.isEmpty() ? Optional.empty() : numericId(createAs(context, op, identity));
        Optional<Long> theirs = own.isEmpty() ? Optional.empty() : numericId(createAs(context, op, peer.get()));
        if (theirs.isEmpty() || theirs.get() <= own.get() || theirs.get() - own.get() > NEARBY) {
            return;
        }
        ProbeResponse found = servedLikeAnObject(context, baseline, parameter, theirs.get());
        if (found == null) {
            return;
        }
        reportUnlessAnyIdIsServed(
                context,
                baseline,
                parameter,
                theirs.get(),
                found,
                "Identity '" + identity.label() + "' created object " + own.get() + ", and identity '"
                        + peer.get().label() + "' (same role) object " + theirs.get() + " right after. Asked for by '"
                        + identity.label() + "', whose object "
                        + baseline.request().valueOf(ParameterLocation.PATH, parameter)
                        + " is the third exchange, id " + theirs.get());
    }

    private static Optional<Long> numericId(Optional<String> id) {
        return id.filter(value -> NUMERIC_ID.matcher(value).matches()).map(Long::parseLong);
    }

    /** The identity's answer for the candidate id, when it is a success shaped like the baseline's object. */
    private static ProbeResponse servedLikeAnObject(
            ScanContext context, Baseline baseline, String parameter, long candidate) {
        ProbeResponse found = context.send(
                baseline.request().with(ParameterLocation.PATH, parameter, candidate),
                baseline.identity().credentials());
        return found.isSuccess() && sameShape(baseline.response(), found) ? found : null;
    }

    /**
     * Reports the candidate served to the identity, unless a far-away id is served too (the API answers any id)
     * or the candidate is not served again. Listed in full to the identity now, or in a collection listed to it
     * and its peer alike, it is reported FIRM, not confirmed: shared by design, as everyone's objects are in a
     * forum, or a listing that leaks them too.
     */
    private static void reportUnlessAnyIdIsServed(
            ScanContext context,
            Baseline baseline,
            String parameter,
            long candidate,
            ProbeResponse found,
            String provenance) {
        IdentitySession identity = baseline.identity();
        var credentials = identity.credentials();
        long id = Long.parseLong(baseline.request().valueOf(ParameterLocation.PATH, parameter));
        ProbeResponse far = context.send(
                baseline.request().with(ParameterLocation.PATH, parameter, id + 1_000_000_007L), credentials);
        ProbeResponse again = servedLikeAnObject(context, baseline, parameter, candidate);
        if (far.isSuccess() || again == null) {
            return;
        }
        IdentitySession peer = SameRolePeers.peersOf(context, identity, baseline.operation()).stream()
                .findFirst()
                .orElse(null);
        Optional<String> shared =
                sharedNote(context, baseline.operation(), parameter, Long.toString(candidate), found, identity, peer);
        PlannedOperation op = baseline.operation();
        context.report(ENUMERATION.finding(
                shared.isPresent() ? Confidence.FIRM : Confidence.CONFIRMED,
                op.method(),
                op.pathTemplate(),
                "path:" + parameter,
                new Evidence(
                        List.of(Redactor.excerpt(found), Redactor.excerpt(far), Redactor.excerpt(baseline.response())),
                        provenance + " answered HTTP " + found.status()
                                + " with an object of the same shape, twice (first exchange), while a far-away id answered HTTP "
                                + far.status() + " (second exchange)."
                                + shared.orElse(""))));
    }

    private static boolean sameShape(ProbeResponse reference, ProbeResponse probe) {
        var a = JsonValues.firstObject(reference);
        var b = JsonValues.firstObject(probe);
        return a.isPresent()
                && b.isPresent()
                && a.get().propertyNames().equals(b.get().propertyNames());
    }
}
