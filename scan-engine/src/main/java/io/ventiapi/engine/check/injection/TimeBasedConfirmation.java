package io.ventiapi.engine.check.injection;

import io.ventiapi.engine.check.Baseline;
import io.ventiapi.engine.check.InjectionPoint;
import io.ventiapi.engine.check.ScanContext;
import io.ventiapi.engine.http.ProbeResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * Confirms a time-based injection: a payload asking for a delay of {@value #DELAY_SECONDS} s takes at least
 * 90% of it, the same payload asking for no delay answers in under half of it, and the delayed one is slow
 * again. Three agreeing measurements rule out a target that is merely slow or had a hiccup.
 */
final class TimeBasedConfirmation {

    static final int DELAY_SECONDS = 2;
    private static final Duration SLOW = Duration.ofMillis(DELAY_SECONDS * 900L);
    private static final Duration FAST = Duration.ofMillis(DELAY_SECONDS * 500L);

    private TimeBasedConfirmation() {}

    /** The delayed, undelayed and delayed-again exchanges when all three agree; empty otherwise. */
    static Optional<List<ProbeResponse>> confirm(
            ScanContext context, Baseline baseline, InjectionPoint point, IntFunction<String> payloadWithDelay) {
        return context.timed(() -> measure(context, baseline, point, payloadWithDelay));
    }

    private static Optional<List<ProbeResponse>> measure(
            ScanContext context, Baseline baseline, InjectionPoint point, IntFunction<String> payloadWithDelay) {
        ProbeResponse delayed = send(context, baseline, point, payloadWithDelay.apply(DELAY_SECONDS));
        if (delayed.elapsed().compareTo(SLOW) < 0) {
            return Optional.empty();
        }
        ProbeResponse control = send(context, baseline, point, payloadWithDelay.apply(0));
        if (control.elapsed().compareTo(FAST) >= 0) {
            // One slow control may be a hiccup of a busy target; a second one means the value itself is slow.
            control = send(context, baseline, point, payloadWithDelay.apply(0));
            if (control.elapsed().compareTo(FAST) >= 0) {
                return Optional.empty();
            }
        }
        ProbeResponse again = send(context, baseline, point, payloadWithDelay.apply(DELAY_SECONDS));
        if (again.elapsed().compareTo(SLOW) < 0) {
            return Optional.empty();
        }
        return Optional.of(List.of(delayed, control, again));
    }

    private static ProbeResponse send(ScanContext context, Baseline baseline, InjectionPoint point, String payload) {
        return context.send(
                point.apply(baseline.request(), payload), baseline.identity().credentials());
    }

    static String explanation(List<ProbeResponse> exchanges) {
        return "Asking for a " + DELAY_SECONDS + " s delay made the response take "
                + exchanges.get(0).elapsed().toMillis()
                + " ms and then " + exchanges.get(2).elapsed().toMillis()
                + " ms; the same payload asking for no delay took "
                + exchanges.get(1).elapsed().toMillis() + " ms.";
    }
}
