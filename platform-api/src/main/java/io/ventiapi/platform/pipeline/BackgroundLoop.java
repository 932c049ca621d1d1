package io.ventiapi.platform.pipeline;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A named daemon thread that runs one step after another until stopped. A step that fails (Redis
 * or the database away) is logged and retried after {@code pause}; the caller's {@code onFailure}
 * resets whatever the next step must redo.
 */
final class BackgroundLoop {

    /** One step of the loop; interrupting it ends the loop. */
    interface Step {
        void run() throws InterruptedException;
    }

    private static final Logger log = LoggerFactory.getLogger(BackgroundLoop.class);

    private final String name;
    private final Step step;
    private final Runnable onFailure;
    private final Duration pause;
    private volatile boolean stopping;
    private Thread thread;

    BackgroundLoop(String name, Step step, Runnable onFailure, Duration pause) {
        this.name = name;
        this.step = step;
        this.onFailure = onFailure;
        this.pause = pause;
    }

    synchronized boolean isRunning() {
        return thread != null;
    }

    synchronized void start() {
        if (thread == null) {
            stopping = false;
            thread = Thread.ofPlatform().name(name).daemon().start(this::loop);
        }
    }

    synchronized void stop() {
        stopping = true;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            thread = null;
        }
    }

    private void loop() {
        while (!stopping) {
            try {
                step.run();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (stopping) {
                    return;
                }
                log.warn("{}: {}; retrying", name, e.toString());
                onFailure.run();
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }
}
