package io.ventiapi.engine.cli;

import io.ventiapi.engine.ScanOptions;
import io.ventiapi.engine.ScanProfile;
import io.ventiapi.engine.Severity;
import io.ventiapi.engine.canary.CanarySettings;
import io.ventiapi.engine.http.ExecutionLimits;
import io.ventiapi.engine.http.PinnedNames;
import io.ventiapi.engine.identity.Identity;
import io.ventiapi.engine.identity.IdentityParser;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The parsed command line of {@code venti-scan}.
 *
 * @param spec file path or URL of the API description
 * @param target base URL of the API under test
 * @param identities identities in the order given
 * @param profile scan profile
 * @param limits request limits
 * @param expiredToken an expired token for the expired-JWT check, or null
 * @param scanId the id put in every event
 * @param failOn the severity at which the exit code becomes 1, or null to never fail on findings
 * @param sarif where to write SARIF, or null
 * @param html where to write HTML, or null
 * @param junit where to write JUnit XML, or null
 * @param json where to write the JSON report, or null
 * @param help whether only help was asked for
 * @param insecure whether to accept any TLS certificate of the target
 * @param options identity roles, operations marked privileged, the canary
 * @param rules custom rule files or directories, in the order given
 * @param pins host names (in {@link PinnedNames#canonical} form) to the only addresses to connect to them at;
 *     empty to resolve names as usual
 */
record CliArguments(
        String spec,
        URI target,
        List<Identity> identities,
        ScanProfile profile,
        ExecutionLimits limits,
        String expiredToken,
        String scanId,
        Severity failOn,
        Path sarif,
        Path html,
        Path junit,
        Path json,
        boolean help,
        boolean insecure,
        ScanOptions options,
        List<Path> rules,
        Map<String, List<InetAddress>> pins) {

    /** A host name: dot-separated labels, an optional trailing dot. */
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*\\.?");

    static final String USAGE = """
            Usage: venti-scan --spec FILE|URL --target URL [options]

            Scans an HTTP API described by an OpenAPI 3.0/3.1 or Swagger 2.0 document for OWASP API
            Top 10 flaws. Prints scan events as NDJSON on stdout (see docs/engine/events.md); a progress
            line goes to stderr when it is a terminal. Requests never leave the target's origin.

            Required:
              --spec FILE|URL          the API description (JSON or YAML; multi-file $refs are followed)
              --target URL             base URL of the API to test, e.g. http://localhost:8080/api

            Identities (repeatable; each operation uses the first whose kind its security scheme asks for):
              --identity SPEC          comma-separated key=value pairs, e.g.
                                         type=bearer,token=eyJ...
                                         type=apikey,in=header|query|cookie,name=X-API-Key,value=...
                                         type=basic,username=alice,password=...
                                         type=oauth2,token-url=URL,client-id=...,client-secret=...[,scope=...]
                                         type=login,path=/login,username=alice,password=...[,token-pointer=/token][,format=form]
                                         type=none
                                       any identity may add name=NAME (label=NAME for apikey, whose name=
                                       is the key's name), shown in evidence, and role=ROLE
                                       (e.g. user, admin): two identities of one role are compared with each
                                       other (BOLA), a non-admin role with admin operations (BFLA)
              --expired-token TOKEN    a correctly signed token that expired at least 5 minutes ago, to test
                                       expiry checks
              --privileged-operation OP  treat OP ("METHOD /path/template" or an operationId) as admin-only,
                                       besides operations that look so; repeatable

            Scan:
              --profile NAME           SAFE (no PUT/PATCH/DELETE except on resources the scan created, no
                                       time-based probes), STANDARD (default), AGGRESSIVE
              --rps N                  requests per second at most (default 50; 0 = unlimited)
              --concurrency N          requests in flight at most (default 8)
              --budget N               requests at most (default 10000)
              --time-box DURATION      wall time at most, e.g. 90s, 30m, 2h (default 30m)
              --request-timeout SECS   seconds to wait for one response (default 15)
              --scan-id ID             id carried by every event (default: a random UUID)
              --insecure               accept any TLS certificate of the target (self-signed test
                                       environments only)
              --rules FILE|DIR         custom YAML rules (a file, or every *.yaml/*.yml in a directory);
                                       repeatable; see docs/engine/rules.md
              --resolve HOST=ADDR[,ADDR]  connect to HOST only at these addresses; once given, no other
                                       name is resolved (repeatable)
              --canary-listen HOST:PORT  where the SSRF canary listens (default 127.0.0.1:0, an ephemeral
                                       port); the target must be able to reach it
              --canary-url URL         the canary's URL as the target sees it (default: http://HOST:PORT of
                                       --canary-listen), e.g. http://scanner.internal:8099
              --no-canary              no canary listener: SSRF is not tested

            Reports:
              --sarif FILE             SARIF 2.1.0
              --html FILE              self-contained HTML
              --junit FILE             JUnit XML
              --json FILE              JSON
              --fail-on SEVERITY       exit 1 if a finding is at least INFO|LOW|MEDIUM|HIGH|CRITICAL

              --help                   this text

            Exit codes: 0 done, 1 findings at or above --fail-on, 2 bad arguments,
                        3 API description unreadable or refused, 4 scan failed (target unreachable,
                        authentication failed)
            """;

    /**
     * Parses the arguments.
     *
     * @throws IllegalArgumentException with a message fit for the user
     */
    static CliArguments parse(String[] args) {
        String spec = null;
        URI target = null;
        List<Identity> identities = new ArrayList<>();
        ScanProfile profile = ScanProfile.STANDARD;
        ExecutionLimits limits = ExecutionLimits.defaults();
        String expiredToken = null;
        String scanId = UUID.randomUUID().toString();
        Severity failOn = null;
        Path sarif = null;
        Path html = null;
        Path junit = null;
        Path json = null;
        boolean insecure = false;
        Map<String, String> roles = new LinkedHashMap<>();
        List<String> privileged = new ArrayList<>();
        List<Path> rules = new ArrayList<>();
        Map<String, List<InetAddress>> pins = new LinkedHashMap<>();
        InetSocketAddress canaryListen = new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 0);
        URI canaryUrl = null;
        boolean canary = true;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg;
            String inline = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                inline = arg.substring(eq + 1);
            }
            if (name.equals("--help") || name.equals("-h")) {
                return new CliArguments(
                        null,
                        null,
                        List.of(),
                        profile,
                        limits,
                        null,
                        scanId,
                        null,
                        null,
                        null,
                        null,
                        null,
                        true,
                        false,
                        ScanOptions.defaults(),
                        List.of(),
                        Map.of());
            }
            if (!name.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "'");
            }
            if (name.equals("--insecure")) {
                insecure = true;
                continue;
            }
            if (name.equals("--no-canary")) {
                canary = false;
                continue;
            }
            String value;
            if (inline != null) {
                value = inline;
            } else {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(name + " needs a value");
                }
                value = args[++i];
            }
            switch (name) {
                case "--spec" -> spec = value;
                case "--target" -> target = target(value);
                case "--identity" -> {
                    Identity identity = IdentityParser.parse(value);
                    if (identities.stream().anyMatch(other -> other.label().equals(identity.label()))) {
                        throw new IllegalArgumentException(
                                "two identities are called '" + identity.label() + "': give each its own name=…");
                    }
                    identities.add(identity);
                    String role = IdentityParser.role(value);
                    if (role != null) {
                        roles.put(identity.label(), role);
                    }
                }
                case "--privileged-operation" -> privileged.add(value);
                case "--rules" -> rules.add(Path.of(value));
                case "--resolve" -> pin(pins, value);
                case "--canary-listen" -> canaryListen = hostAndPort(value);
                case "--canary-url" -> canaryUrl = target(value);
                case "--profile" -> profile = ScanProfile.parse(value);
                case "--rps" -> limits = limits.withRequestsPerSecond(number(name, value));
                case "--concurrency" -> limits = limits.withConcurrency((int) positive(name, value));
                case "--budget" -> limits = limits.withRequestBudget((int) positive(name, value));
                case "--time-box" -> limits = limits.withTimeBox(duration(value));
                case "--request-timeout" ->
                    limits = new ExecutionLimits(
                            limits.concurrency(),
                            limits.requestsPerSecond(),
                            limits.requestBudget(),
                            limits.timeBox(),
                            Duration.ofSeconds((long) positive(name, value)));
                case "--expired-token" -> expiredToken = value;
                case "--scan-id" -> scanId = value;
                case "--fail-on" -> failOn = Severity.parse(value);
                case "--sarif" -> sarif = Path.of(value);
                case "--html" -> html = Path.of(value);
                case "--junit" -> junit = Path.of(value);
                case "--json" -> json = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option " + name);
            }
        }
        if (spec == null) {
            throw new IllegalArgumentException("--spec is required");
        }
        if (target == null) {
            throw new IllegalArgumentException("--target is required");
        }
        if (!pins.isEmpty()) {
            requirePinned(pins, "--target", target.getHost());
            if (spec.startsWith("http://") || spec.startsWith("https://")) {
                requirePinned(pins, "--spec", hostOf(spec));
            }
            for (Identity identity : identities) {
                if (identity instanceof Identity.OAuth2ClientCredentials oauth) {
                    // A relative token URL is on the target's host.
                    requirePinned(pins, "the token-url of identity '" + oauth.label() + "'", hostOf(oauth.tokenUrl()));
                }
            }
            if (canary && canaryListen.isUnresolved()) {
                requirePinned(pins, "--canary-listen", canaryListen.getHostString());
            }
        }
        return new CliArguments(
                spec,
                target,
                identities,
                profile,
                limits,
                expiredToken,
                scanId,
                failOn,
                sarif,
                html,
                junit,
                json,
                false,
                insecure,
                new ScanOptions(
                        roles, privileged, canary ? new CanarySettings(canaryListen, canaryUrl) : CanarySettings.off()),
                rules,
                Map.copyOf(pins));
    }

    /** Adds one {@code --resolve HOST=ADDRESS[,ADDRESS...]}; addresses must be IP literals, never names. */
    private static void pin(Map<String, List<InetAddress>> pins, String value) {
        int eq = value.indexOf('=');
        if (eq <= 0 || eq == value.length() - 1) {
            throw new IllegalArgumentException(
                    "--resolve must look like HOST=ADDRESS[,ADDRESS...], e.g. api.example.com=203.0.113.7, got '"
                            + value + "'");
        }
        String host = value.substring(0, eq);
        if (literal(host) != null) {
            throw new IllegalArgumentException(
                    "--resolve " + host + ": that is an address, and addresses are never looked up; name a host");
        }
        if (!HOST_NAME.matcher(host).matches()) {
            throw new IllegalArgumentException("--resolve '" + host + "' is not a host name");
        }
        List<InetAddress> addresses = new ArrayList<>();
        for (String text : value.substring(eq + 1).split(",", -1)) {
            InetAddress address = literal(text.trim());
            if (address == null) {
                throw new IllegalArgumentException("--resolve " + host + ": '" + text
                        + "' is not an IP address (such as 203.0.113.7, ::1 or [::1]); names are not resolved");
            }
            if (!addresses.contains(address)) {
                addresses.add(address);
            }
        }
        if (pins.putIfAbsent(PinnedNames.canonical(host), List.copyOf(addresses)) != null) {
            throw new IllegalArgumentException(
                    "--resolve " + host + " is given twice: list all its addresses in one --resolve");
        }
    }

    /**
     * Fails unless {@code host} is an IP address or one of the pinned names: once names are pinned, no other name
     * resolves, and a host that cannot resolve is better refused now than reported as unknown mid-scan.
     */
    private static void requirePinned(Map<String, List<InetAddress>> pins, String what, String host) {
        if (host != null && literal(host) == null && !pins.containsKey(PinnedNames.canonical(host))) {
            throw new IllegalArgumentException(what + " is on host " + host
                    + ", which is not one of the --resolve names: once --resolve is given, no other name is resolved");
        }
    }

    /** The host of a URL, or null when it names none (relative, or not a URL). */
    private static String hostOf(String url) {
        try {
            return new URI(url).getHost();
        } catch (URISyntaxException e) {
            return null;
        }
    }

    /** The address an IP literal ({@code [::1]} included) stands for, or null when it is not one. */
    private static InetAddress literal(String text) {
        try {
            return InetAddress.ofLiteral(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static InetSocketAddress hostAndPort(String value) {
        int colon = value.lastIndexOf(':');
        try {
            String host = colon < 0 ? value : value.substring(0, colon);
            int port = colon < 0 ? 0 : Integer.parseInt(value.substring(colon + 1));
            InetAddress address = literal(host.isEmpty() ? "127.0.0.1" : host);
            // A name is left unresolved here, to be looked up when the listener starts: after --resolve pinned
            // names, and the JDK caches whatever it resolves first.
            return address != null
                    ? new InetSocketAddress(address, port)
                    : InetSocketAddress.createUnresolved(host, port);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--canary-listen must look like 127.0.0.1:8099, got '" + value + "'");
        }
    }

    private static URI target(String value) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("--target '" + value + "' is not a URL");
        }
        if (uri.getScheme() == null
                || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                || uri.getHost() == null) {
            throw new IllegalArgumentException(
                    "--target must be an absolute http:// or https:// URL, got '" + value + "'");
        }
        return uri;
    }

    private static double number(String name, String value) {
        try {
            double n = Double.parseDouble(value);
            if (n < 0 || Double.isNaN(n)) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a non-negative number, got '" + value + "'");
        }
    }

    private static double positive(String name, String value) {
        double n = number(name, value);
        if (n < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, got '" + value + "'");
        }
        return n;
    }

    /** {@code 90s}, {@code 30m}, {@code 2h}, a bare number of seconds, or ISO-8601 such as {@code PT30M}. */
    static Duration duration(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        try {
            if (v.startsWith("pt") || v.startsWith("p")) {
                return Duration.parse(value.trim().toUpperCase(Locale.ROOT));
            }
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            char unit = v.charAt(v.length() - 1);
            if (Character.isDigit(unit)) {
                return Duration.ofSeconds(Long.parseLong(v));
            }
            long n = Long.parseLong(v.substring(0, v.length() - 1));
            return switch (unit) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> throw new NumberFormatException();
            };
        } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("--time-box must look like 90s, 30m or 2h, got '" + value + "'");
        }
    }
}
