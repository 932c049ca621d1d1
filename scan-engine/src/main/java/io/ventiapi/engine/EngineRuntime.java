package io.ventiapi.engine;

/**
 * JVM-wide settings of a process that runs the engine, applied by its entry point before the engine starts
 * its first virtual thread.
 */
public final class EngineRuntime {

    /** The JDK's setting for how many platform threads carry virtual threads (default: one per core). */
    static final String CARRIER_THREADS = "jdk.virtualThreadScheduler.parallelism";

    private EngineRuntime() {}

    /**
     * One carrier thread for virtual threads, unless the command line chose otherwise. The engine's virtual
     * threads spend their time waiting for responses; the HTTP client parses responses on its own selector
     * thread, which then wakes the waiting virtual thread. With a carrier per core, most of those wake-ups
     * had to rouse a parked carrier first: one carrier cut the CPU time per request by about a tenth
     * against a local endpoint (docs/engine/benchmarks.md), and a STANDARD scan of the test API took as
     * long as before.
     *
     * <p>Takes effect only before the first virtual thread of the process is created.
     */
    public static void configure() {
        if (System.getProperty(CARRIER_THREADS) == null) {
            System.setProperty(CARRIER_THREADS, "1");
        }
    }
}
