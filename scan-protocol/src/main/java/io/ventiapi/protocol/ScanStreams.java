package io.ventiapi.protocol;

/**
 * The Redis keys and message fields the api role and the runners share (docs/runner/protocol.md).
 * Jobs go out on {@link #JOBS}, what workloads print comes back on {@link #EVENTS}.
 */
public final class ScanStreams {

    /** The stream of scan jobs, read by the {@link #RUNNERS} group. */
    public static final String JOBS = "venti:scan-jobs";
    /** The consumer group of runners on {@link #JOBS}. */
    public static final String RUNNERS = "runners";
    /** The stream of scan events, read by the {@link #PERSISTERS} group. */
    public static final String EVENTS = "venti:scan-events";
    /** The consumer group of the api role on {@link #EVENTS}. */
    public static final String PERSISTERS = "persisters";
    /** Ids of cancelled scans (a set), checked before a scan starts. */
    public static final String CANCELLED = "venti:scan-cancelled";
    /** Announces a cancellation to the runner that holds the scan. */
    public static final String CANCEL_TOPIC = "venti:scan-cancel";
    /** {@link #EVENTS} field: the scan. */
    public static final String SCAN_ID = "scanId";
    /** {@link #EVENTS} field: the scan's tenant. */
    public static final String TENANT = "tenant";
    /** {@link #EVENTS} field: {@value #KIND_ENGINE} or {@value #KIND_WORKLOAD}. */
    public static final String KIND = "kind";
    /** {@link #KIND} of an entry carrying one line the scanner printed. */
    public static final String KIND_ENGINE = "engine";
    /** {@link #KIND} of the entry saying how the workload ended, after its last line. */
    public static final String KIND_WORKLOAD = "workload";
    /** {@link #EVENTS} field of an engine entry: the line, an engine event (docs/engine/events.md). */
    public static final String LINE = "line";
    /**
     * {@link #EVENTS} field of an engine entry of a scan that runs several scanners one after the
     * other: which of them the line is about, from 0, as a decimal integer. Absent (an entry of a
     * scan of one scanner, or from an older runner): the scan has one part.
     */
    public static final String PART = "part";
    /** {@link #EVENTS} field next to {@link #PART}: how many scanners the scan runs, at most {@value #MAX_PARTS}. */
    public static final String PARTS = "parts";
    /** The most {@link #PARTS} a reader takes; an entry saying more is read as a scan of one part. */
    public static final int MAX_PARTS = 10;
    /** {@link #EVENTS} field of a workload entry: {@code SUCCEEDED}, {@code FAILED}, {@code TIMED_OUT} or {@code CANCELLED}. */
    public static final String OUTCOME = "outcome";
    /** {@link #EVENTS} field of a {@code FAILED} workload entry: why. */
    public static final String REASON = "reason";

    private ScanStreams() {}

    /**
     * Runs {@code create}, which creates a consumer group; false if Redis answered that the group
     * exists already ({@code BUSYGROUP}: another runner or replica created it first).
     */
    public static boolean createdGroup(Runnable create) {
        try {
            create.run();
            return true;
        } catch (RuntimeException e) {
            if (redisAnswered(e, "BUSYGROUP")) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Whether Redis answered {@code error} with this error code, e.g. {@code NOGROUP}: Redis's
     * reply, which the client's exception message starts with, somewhere in its causes.
     */
    public static boolean redisAnswered(Throwable error, String code) {
        for (var cause = error; cause != null; cause = cause.getCause()) {
            var message = cause.getMessage();
            // Redis 6 wraps an error raised in a script: "ERR Error running script (…): …: NOGROUP …".
            if (message != null && (message.startsWith(code + " ") || message.contains(": " + code + " "))) {
                return true;
            }
        }
        return false;
    }

    /**
     * A Redis script that acknowledges an entry for a group and deletes it, in one step: consumers
     * of both streams keep nothing they are done with (a job's document and sealed credentials, a
     * scanner's unredacted evidence). KEYS: the stream; ARGV: the group, the entry id.
     */
    public static final String ACK_AND_DELETE = """
            redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
            return redis.call('XDEL', KEYS[1], ARGV[2])
            """;
}
