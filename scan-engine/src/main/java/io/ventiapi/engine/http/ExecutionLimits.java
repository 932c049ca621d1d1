package io.ventiapi.engine.http;

import java.time.Duration;

/**
 * How hard and how long a scan may hit the target.
 *
 * @param concurrency requests in flight at most
 * @param requestsPerSecond sustained request rate at most; 0 means unlimited
 * @param requestBudget total requests at most, retries included
 * @param timeBox wall time at most, from the first request
 * @param requestTimeout how long to wait for one response
 */
public record ExecutionLimits(
        int concurrency, double requestsPerSecond, int requestBudget, Duration timeBox, Duration requestTimeout) {

    /** The defaults the CLI uses: 8 in flight, 50 requests/s, 10 000 requests, 30 minutes, 15 s per request. */
    public static ExecutionLimits defaults() {
        return new ExecutionLimits(8, 50, 10_000, Duration.ofMinutes(30), Duration.ofSeconds(15));
    }

    public ExecutionLimits {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1");
        }
        if (requestsPerSecond < 0) {
            throw new IllegalArgumentException("requests per second must not be negative");
        }
        if (requestBudget < 1) {
            throw new IllegalArgumentException("the request budget must be at least 1");
        }
    }

    public ExecutionLimits withRequestsPerSecond(double rps) {
        return new ExecutionLimits(concurrency, rps, requestBudget, timeBox, requestTimeout);
    }

    public ExecutionLimits withRequestBudget(int budget) {
        return new ExecutionLimits(concurrency, requestsPerSecond, budget, timeBox, requestTimeout);
    }

    public ExecutionLimits withConcurrency(int inFlight) {
        return new ExecutionLimits(inFlight, requestsPerSecond, requestBudget, timeBox, requestTimeout);
    }

    public ExecutionLimits withTimeBox(Duration box) {
        return new ExecutionLimits(concurrency, requestsPerSecond, requestBudget, box, requestTimeout);
    }
}
