package io.ventiapi.server.maintenance;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Platform work each replica runs every so often, on a thread of its own, while the application
 * runs. A run that fails (the database away) is logged; the next one tries again.
 */
abstract class PeriodicSweep implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PeriodicSweep.class);

    private final String name;
    private final Duration firstAfter;
    private final Duration interval;
    private ScheduledExecutorService scheduler;

    /**
     * @param name the sweep's thread, and what the log calls it
     * @param firstAfter how long after start the first run comes
     */
    PeriodicSweep(String name, Duration firstAfter, Duration interval) {
        this.name = name;
        this.firstAfter = firstAfter;
        this.interval = interval;
    }

    /** One run; returns how many things it changed. */
    abstract int sweep();

    @Override
    public synchronized void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name(name).daemon().factory());
        scheduler.scheduleWithFixedDelay(
                this::sweepLogged, firstAfter.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void sweepLogged() {
        try {
            sweep();
        } catch (RuntimeException e) {
            log.warn("The {} sweep failed: {}", name, e.toString());
        }
    }

    @Override
    public synchronized void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return scheduler != null;
    }
}
