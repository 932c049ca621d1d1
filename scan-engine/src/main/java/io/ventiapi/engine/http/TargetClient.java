package io.ventiapi.engine.http;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The only way the engine talks to the target. Every request goes through here, which is where scope,
 * concurrency, rate, budget, time box and 429 back-off are enforced: no request leaves the target origin and
 * redirects are followed only within it.
 */
public final class TargetClient implements AutoCloseable {

    /** Response bodies are cut here: enough for evidence and schema checks, bounded memory per request. */
    public static final int MAX_BODY_BYTES = 1 << 20;

    private static final int MAX_REDIRECTS = 5;
    private static final int MAX_RETRIES_ON_429 = 3;
    private static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(30);
    /** Headers java.net.http forbids setting; a probe that sets one would fail, so they are skipped. */
    private static final Set<String> RESTRICTED_HEADERS =
            Set.of("connection", "content-length", "expect", "host", "upgrade");

    private final URI target;
    /** scheme://host:port of the target, lower case: what "in scope" means. */
    private final String origin;

    /** The target's port, the scheme's default when the URL names none. */
    private final int port;
    /** scheme://authority/base-path of the target, as given: what request paths are appended to. */
    private final String prefix;

    private final ExecutionLimits limits;
    /** One client per core, at most one per request in flight; requests take turns among them. */
    private final HttpClient[] clients;

    private final AtomicInteger nextClient = new AtomicInteger();

    private final Semaphore inFlight;
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicLong pausedUntilNanos = new AtomicLong();
    private final ReentrantLock pacing = new ReentrantLock();
    private final long intervalNanos;
    private long nextSlotNanos = System.nanoTime();
    private final long deadlineNanos;

    /**
     * @param target the base URL; requests go to its origin, below its path
     * @param limits how hard and how long
     */
    public TargetClient(URI target, ExecutionLimits limits) {
        this(target, limits, false);
    }

    /**
     * @param target the base URL; requests go to its origin, below its path
     * @param limits how hard and how long
     * @param trustAnyCertificate accept any TLS certificate and host name (self-signed test environments);
     *     off by default, since it lets anyone on the path impersonate the target
     */
    public TargetClient(URI target, ExecutionLimits limits, boolean trustAnyCertificate) {
        if (target.getScheme() == null
                || !(target.getScheme().equals("http") || target.getScheme().equals("https"))
                || target.getHost() == null) {
            throw new IllegalArgumentException("the target must be an absolute http(s) URL: " + target);
        }
        this.target = target;
        this.origin = origin(target);
        this.port = port(target);
        String path = target.getRawPath() == null ? "" : target.getRawPath();
        String basePath = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        this.prefix = target.getScheme() + "://" + target.getRawAuthority() + basePath;
        this.limits = limits;
        this.inFlight = new Semaphore(limits.concurrency());
        this.intervalNanos = limits.requestsPerSecond() > 0 ? (long) (1_000_000_000L / limits.requestsPerSecond()) : 0;
        this.deadlineNanos = System.nanoTime() + limits.timeBox().toNanos();
        // A client parses responses and writes requests on its one selector thread. One client per core lets
        // those threads run side by side: on 2 cores, two clients sent about a third more requests per second
        // than one against a local endpoint, at no more CPU per request (docs/engine/benchmarks.md). Never
        // more clients than requests in flight: each starts its selector thread at once.
        this.clients =
                new HttpClient[Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), limits.concurrency()))];
        for (int i = 0; i < clients.length; i++) {
            clients[i] = newHttpClient(trustAnyCertificate);
        }
    }

    private static HttpClient newHttpClient(boolean trustAnyCertificate) {
        HttpClient.Builder builder = HttpClient.newBuilder();
        if (trustAnyCertificate) {
            builder.sslContext(TrustAnyCertificate.sslContext());
        }
        // The client's executor only runs its own short, non-blocking steps (parsing a response, handing the
        // body to TruncatingBodySubscriber, which never blocks), and send() waits on the caller's virtual
        // thread. Running those steps in place, on the client's selector thread, saves a thread hand-off per
        // response, which cut the client's CPU time per request by about a third against a local endpoint.
        // No proxy, whatever the JVM's proxy properties say: every request goes straight to the target.
        return builder.followRedirects(HttpClient.Redirect.NEVER)
                .proxy(HttpClient.Builder.NO_PROXY)
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .executor(Runnable::run)
                .build();
    }

    public URI target() {
        return target;
    }

    /** Requests sent so far, retries and followed redirects included. */
    public int requestsSent() {
        return sent.get();
    }

    /**
     * Sends a request to the target and returns its response, following same-origin redirects for GET and
     * HEAD and waiting out 429 responses.
     *
     * @throws ScanStoppedException when the budget or time box is used up
     * @throws TargetUnreachableException when no response came
     * @throws OutOfScopeException when the request would leave the target origin (it is not sent)
     * @throws UnsendableRequestException when a header cannot be sent (it is not sent)
     */
    public ProbeResponse send(ProbeRequest request) {
        URI uri = resolve(request.pathAndQuery());
        ProbeRequest current = request;
        for (int redirects = 0; ; redirects++) {
            ProbeResponse response = sendWithRetries(current, uri);
            String location = response.header("location").orElse(null);
            boolean redirect = response.status() >= 300 && response.status() < 400 && location != null;
            if (!redirect
                    || redirects >= MAX_REDIRECTS
                    || !(current.method().equals("GET") || current.method().equals("HEAD"))) {
                return response;
            }
            URI next;
            try {
                next = uri.resolve(location);
            } catch (IllegalArgumentException e) {
                return response;
            }
            if (!sameOrigin(next)) {
                // Off-origin redirects are reported to the caller as the 3xx they are, never followed.
                return response;
            }
            uri = next;
            String raw = next.getRawPath() + (next.getRawQuery() == null ? "" : "?" + next.getRawQuery());
            current = new ProbeRequest(current.method(), raw.isEmpty() ? "/" : raw, current.headers(), null);
        }
    }

    /**
     * Sends a request once: no redirects followed and a 429 returned as it is, for checks that look for the
     * target's own limits (rate limiting, lockout). Scope, budget and time box apply as for {@link #send}.
     */
    public ProbeResponse sendOnce(ProbeRequest request) {
        return sendOnce(request, resolve(request.pathAndQuery()));
    }

    /** The absolute URI for a path relative to the target, checked to be inside the target origin. */
    public URI resolve(String pathAndQuery) {
        URI uri;
        try {
            uri = URI.create(prefix + pathAndQuery);
        } catch (IllegalArgumentException e) {
            throw new OutOfScopeException("not a valid URL below the target: " + pathAndQuery);
        }
        if (!sameOrigin(uri)) {
            throw new OutOfScopeException("refusing to send a request outside " + origin + ": " + uri);
        }
        return uri;
    }

    private boolean sameOrigin(URI uri) {
        return uri.getScheme() != null
                && uri.getHost() != null
                && uri.getScheme().equalsIgnoreCase(target.getScheme())
                && uri.getHost().equalsIgnoreCase(target.getHost())
                && port(uri) == port;
    }

    private static String origin(URI uri) {
        return uri.getScheme().toLowerCase() + "://" + uri.getHost().toLowerCase() + ":" + port(uri);
    }

    private static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    private ProbeResponse sendWithRetries(ProbeRequest request, URI uri) {
        for (int attempt = 0; ; attempt++) {
            ProbeResponse response = sendOnce(request, uri);
            if (response.status() != 429 || attempt >= MAX_RETRIES_ON_429) {
                return response;
            }
            Duration wait = retryAfter(response).orElse(Duration.ofSeconds(1L << attempt));
            if (wait.compareTo(MAX_RETRY_AFTER) > 0) {
                wait = MAX_RETRY_AFTER;
            }
            long until = System.nanoTime() + wait.toNanos();
            // Every worker backs off, not just this one: the target asked the whole client to slow down.
            pausedUntilNanos.accumulateAndGet(until, Math::max);
        }
    }

    private ProbeResponse sendOnce(ProbeRequest request, URI uri) {
        // Built first: a request that cannot be sent uses no budget and waits for no slot.
        HttpRequest built = build(request, uri);
        checkLimits();
        inFlight.acquireUninterruptibly();
        try {
            waitForSlot();
            checkLimits();
            int number = sent.incrementAndGet();
            if (number > limits.requestBudget()) {
                throw new ScanStoppedException(
                        ScanStoppedException.Limit.BUDGET,
                        "the request budget of " + limits.requestBudget() + " is used up");
            }
            long start = System.nanoTime();
            HttpClient http = clients[Math.floorMod(nextClient.getAndIncrement(), clients.length)];
            HttpResponse<byte[]> response = http.send(built, info -> new TruncatingBodySubscriber(MAX_BODY_BYTES));
            byte[] body = response.body();
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            var headers = new HashMap<String, java.util.List<String>>();
            response.headers().map().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
            return new ProbeResponse(request, response.statusCode(), headers, body, elapsed);
        } catch (HttpTimeoutException e) {
            throw new TargetUnreachableException(
                    "no response from " + origin + " within "
                            + limits.requestTimeout().toSeconds() + " s",
                    e);
        } catch (IOException e) {
            throw new TargetUnreachableException("cannot reach " + origin + ": " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ScanStoppedException(ScanStoppedException.Limit.TIME_BOX, "interrupted");
        } finally {
            inFlight.release();
        }
    }

    /**
     * The request for java.net.http, which refuses header names and values HTTP cannot carry (a line break, a
     * control character) with an IllegalArgumentException: such a probe is not sent, and the message says which
     * header without quoting its value.
     */
    private HttpRequest build(ProbeRequest request, URI uri) {
        HttpRequest.Builder builder;
        try {
            builder = HttpRequest.newBuilder(uri)
                    .timeout(limits.requestTimeout())
                    .method(
                            request.method(),
                            request.body() == null
                                    ? HttpRequest.BodyPublishers.noBody()
                                    : HttpRequest.BodyPublishers.ofByteArray(request.body()));
        } catch (IllegalArgumentException e) {
            throw new UnsendableRequestException("the method " + request.method() + " or the URL cannot be sent");
        }
        request.headers().forEach((name, value) -> {
            if (!RESTRICTED_HEADERS.contains(name.toLowerCase())) {
                try {
                    builder.setHeader(name, value);
                } catch (IllegalArgumentException e) {
                    throw new UnsendableRequestException(
                            "the header " + name + " has a name or value that HTTP does not allow");
                }
            }
        });
        return builder.build();
    }

    /** A few words on why a connection failed: "connection refused", "unknown host", or the root cause. */
    public static String describe(IOException e) {
        Throwable root = e;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.nio.channels.UnresolvedAddressException
                    || t instanceof java.net.UnknownHostException) {
                return "unknown host";
            }
            root = t;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.ConnectException) {
                return "connection refused";
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof javax.net.ssl.SSLHandshakeException) {
                return "TLS handshake failed (" + root.getMessage() + ")";
            }
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : " (" + message + ")");
    }

    private void checkLimits() {
        if (System.nanoTime() > deadlineNanos) {
            throw new ScanStoppedException(
                    ScanStoppedException.Limit.TIME_BOX, "the time box of " + limits.timeBox() + " is used up");
        }
    }

    /** Paces requests to the configured rate and honours a pause set by a 429. */
    private void waitForSlot() {
        long paused = pausedUntilNanos.get() - System.nanoTime();
        if (paused > 0) {
            sleepNanos(paused);
        }
        if (intervalNanos == 0) {
            return;
        }
        long slot;
        pacing.lock();
        try {
            long now = System.nanoTime();
            slot = Math.max(now, nextSlotNanos);
            nextSlotNanos = slot + intervalNanos;
        } finally {
            pacing.unlock();
        }
        sleepNanos(slot - System.nanoTime());
    }

    private static void sleepNanos(long nanos) {
        if (nanos <= 0) {
            return;
        }
        try {
            Thread.sleep(Duration.ofNanos(nanos));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static java.util.Optional<Duration> retryAfter(ProbeResponse response) {
        String value = response.header("retry-after").orElse(null);
        if (value == null) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim()))));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME)
                        .toInstant();
                Duration wait = Duration.between(Instant.now(), at);
                return java.util.Optional.of(wait.isNegative() ? Duration.ZERO : wait);
            } catch (RuntimeException notADate) {
                return java.util.Optional.empty();
            }
        }
    }

    @Override
    public void close() {
        for (HttpClient http : clients) {
            http.close();
        }
    }
}
