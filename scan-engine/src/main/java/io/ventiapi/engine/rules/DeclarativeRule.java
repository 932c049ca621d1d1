package io.ventiapi.engine.rules;

import io.ventiapi.engine.Confidence;
import io.ventiapi.engine.check.Rule;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A check written as data (YAML, see docs/engine/rules.md): which operations it looks at, the requests it sends
 * (each derived from an operation's valid request, or a fixed one for target-wide rules), and what in the answers
 * proves the flaw. Read with {@link RuleLoader}; run by {@link DeclarativeCheck}.
 *
 * @param info id, title, severity, category, CWE, description and remediation, as every finding of it carries
 * @param source where the rule was read from, e.g. {@code rules/API8/trace-enabled.yaml}
 * @param scope once per target, or once per operation that has a valid answer
 * @param selection which operations an operation-scoped rule looks at
 * @param steps requests (or the operation's own exchange) with matchers and extractions, in order
 * @param confirm how many times all steps must hold before the finding is reported
 * @param once whether to report at most one finding per parameter for the whole target (on the first operation
 *     by path, then method) instead of one per operation
 * @param report where the finding points and how it explains itself
 * @param confidence the confidence findings carry
 */
public record DeclarativeRule(
        Rule info,
        String source,
        Scope scope,
        Selection selection,
        List<Step> steps,
        int confirm,
        boolean once,
        Report report,
        Confidence confidence) {

    public DeclarativeRule {
        steps = List.copyOf(steps);
    }

    /** The rule's id. */
    public String id() {
        return info.id();
    }

    /** Where a rule runs. */
    public enum Scope {
        /** Once per scan; every step sends its own request. */
        TARGET,
        /** Once per selected operation; steps derive from its valid request, or inspect its answer. */
        OPERATION
    }

    /**
     * Which operations an operation-scoped rule applies to; empty lists and null mean "any".
     *
     * @param methods HTTP methods
     * @param paths path templates as globs ({@code *} within a segment, {@code **} across segments)
     * @param authenticated whether the operation must (true) or must not (false) require authentication
     * @param statuses statuses of the valid answer: codes or classes such as {@code 2xx}
     * @param tags the operation must have one of these tags
     */
    public record Selection(
            List<String> methods,
            List<Pattern> paths,
            Boolean authenticated,
            List<String> statuses,
            List<String> tags) {}

    /**
     * One step: a request to send (or none: inspect the operation's valid exchange), conditions on the answer, and
     * values to extract for later steps.
     */
    public record Step(Optional<RequestSpec> request, List<Condition> match, Map<String, Extraction> extract) {}

    /**
     * Changes to the operation's valid request, or a request of its own for target-scoped rules. Values may use
     * {@code {{marker}}} and names extracted by earlier steps.
     */
    public record RequestSpec(
            String method,
            String path,
            Map<String, String> query,
            Map<String, String> headers,
            List<String> removeHeaders,
            String body,
            boolean anonymous) {}

    /** A condition on an answer. */
    public sealed interface Condition {}

    /** The status is one of these codes or classes ({@code 2xx}). */
    public record StatusIs(List<String> statuses) implements Condition {}

    /**
     * Headers: for each named header (the first present one of several names binds {@code matched.header} and
     * {@code matched.value}): {@code regex} must find a match, {@code notRegex} must not (an absent header
     * passes), {@code exists} tests presence.
     */
    public record HeaderIs(List<String> names, Pattern regex, Pattern notRegex, Boolean exists) implements Condition {}

    /** The body contains a text, matches or does not match a pattern, or has a minimum length. */
    public record BodyIs(String contains, String notContains, Pattern regex, Pattern notRegex, Integer minLength)
            implements Condition {}

    /** The value at a JSON pointer exists, equals a text, or matches a pattern. */
    public record JsonIs(String pointer, Boolean exists, String equalsText, Pattern regex) implements Condition {}

    /** The answer took at least / at most so many milliseconds. */
    public record TimeIs(Long minMillis, Long maxMillis) implements Condition {}

    /** At least one of the conditions holds. */
    public record AnyOf(List<Condition> conditions) implements Condition {}

    /** Where to take a value from: a JSON pointer, a header, or the body, optionally through a regex group 1. */
    public record Extraction(String json, String header, Pattern regex) {}

    /**
     * Where the finding points: the method and path default to the operation's (or, for target rules, to the first
     * step's request); the parameter is null unless given. Texts may use the step variables.
     */
    public record Report(String method, String path, String parameter, String explanation) {}
}
