package io.ventiapi.engine.check.injection;

import io.ventiapi.engine.check.Baseline;
import io.ventiapi.engine.check.InjectionPoint;
import io.ventiapi.engine.check.ScanContext;
import io.ventiapi.engine.http.ProbeResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntFunction;

/**
 * Confirms a time-based injection by dose and response: after a first payload asking for {@value #DELAY_SECONDS}
 * s took at least 90% of it, three payloads asking for no delay are interleaved with one asking for
 * {@value #DELAY_SECONDS} s and one asking for twice that, in random order. Each delayed answer must take at least
 * the median of the undelayed ones plus 90% of the delay it asked for. A target that stalls now and then (a
 * garbage-collection pause, a noisy neighbour) may stall on a delayed payload or two, but its stalls do not grow
 * with the delay asked for.
 */
final class TimeBasedConfirmation {

    static final int DELAY_SECONDS = 2;
    private static final double SHARE = 0.9;

    private TimeBasedConfirmation() {}

    /**
     * The exchanges when the delays follow the dose: the first delayed answer, the one asking for twice the delay,
     * and the slowest undelayed one; empty otherwise.
     */
    static Optional<List<ProbeResponse>> confirm(
            ScanContext context, Baseline baseline, InjectionPoint point, IntFunction<String> payloadWithDelay) {
        return context.timed(() -> measure(context, baseline, point, payloadWithDelay));
    }

    private static Optional<List<ProbeResponse>> measure(
            ScanContext context, Baseline baseline, InjectionPoint point, IntFunction<String> payloadWithDelay) {
        ProbeResponse screened = send(context, baseline, point, payloadWithDelay.apply(DELAY_SECONDS));
        if (screened.elapsed().compareTo(share(DELAY_SECONDS)) < 0) {
            return Optional.empty();
        }
        // Undelayed, one dose, undelayed, the other dose, undelayed: doses in random order, so a target that
        // stalls every other request, or the first of a burst, cannot line its stalls up with them.
        List<Integer> doses = ThreadLocalRandom.current().nextBoolean()
                ? List.of(DELAY_SECONDS, 2 * DELAY_SECONDS)
                : List.of(2 * DELAY_SECONDS, DELAY_SECONDS);
        List<ProbeResponse> controls = new ArrayList<>();
        List<ProbeResponse> delayed = new ArrayList<>();
        controls.add(send(context, baseline, point, payloadWithDelay.apply(0)));
        for (int dose : doses) {
            ProbeResponse response = send(context, baseline, point, payloadWithDelay.apply(dose));
            delayed.add(response);
            controls.add(send(context, baseline, point, payloadWithDelay.apply(0)));
            // Checked against the controls so far; all three are checked again at the end.
            if (response.elapsed().compareTo(median(controls).plus(share(dose))) < 0) {
                return Optional.empty();
            }
        }
        Duration median = median(controls);
        for (int i = 0; i < doses.size(); i++) {
            if (delayed.get(i).elapsed().compareTo(median.plus(share(doses.get(i)))) < 0) {
                return Optional.empty();
            }
        }
        ProbeResponse doubled = delayed.get(doses.indexOf(2 * DELAY_SECONDS));
        ProbeResponse slowestControl = controls.stream()
                .max(java.util.Comparator.comparing(ProbeResponse::elapsed))
                .orElseThrow();
        return Optional.of(List.of(screened, doubled, slowestControl));
    }

    private static Duration share(int seconds) {
        return Duration.ofMillis(Math.round(seconds * 1000 * SHARE));
    }

    private static Duration median(List<ProbeResponse> responses) {
        List<Duration> sorted =
                responses.stream().map(ProbeResponse::elapsed).sorted().toList();
        return sorted.get((sorted.size() - 1) / 2);
    }

    private static ProbeResponse send(ScanContext context, Baseline baseline, InjectionPoint point, String payload) {
        return context.send(
                point.apply(baseline.request(), payload), baseline.identity().credentials());
    }

    static String explanation(List<ProbeResponse> exchanges) {
        return "Asking for a " + DELAY_SECONDS + " s delay made the response take "
                + exchanges.get(0).elapsed().toMillis()
                + " ms, asking for " + 2 * DELAY_SECONDS + " s made it take "
                + exchanges.get(1).elapsed().toMillis()
                + " ms, and the same payload asking for no delay took at most "
                + exchanges.get(2).elapsed().toMillis()
                + " ms in three tries interleaved with the delayed ones: the delay follows the one asked for.";
    }
}
