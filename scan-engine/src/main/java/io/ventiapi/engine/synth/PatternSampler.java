package io.ventiapi.engine.synth;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Builds a string that matches a simple regular expression, as schemas use them for codes and ids:
 * literals, escapes ({@code \d \w \s \.}), character classes ({@code [A-Z0-9_-]}), groups without
 * alternation, and the quantifiers {@code ? * + {n} {n,} {n,m}}. Anything else (alternation, look-arounds,
 * back-references) yields nothing, and the caller falls back to other candidates.
 */
final class PatternSampler {

    private PatternSampler() {}

    /** A matching sample, checked against the pattern, or empty when the pattern is beyond this sampler. */
    static Optional<String> sample(String regex) {
        String body = regex;
        if (body.startsWith("^")) {
            body = body.substring(1);
        }
        if (body.endsWith("$") && !body.endsWith("\\$")) {
            body = body.substring(0, body.length() - 1);
        }
        StringBuilder out = new StringBuilder();
        try {
            int i = 0;
            while (i < body.length()) {
                char c = body.charAt(i);
                String atom;
                if (c == '|' || c == '^' || c == '$') {
                    return Optional.empty();
                } else if (c == '(') {
                    int close = body.indexOf(')', i);
                    String group = body.substring(i + 1, close);
                    if (group.startsWith("?") || group.contains("|") || group.contains("(")) {
                        return Optional.empty();
                    }
                    atom = sample(group).orElseThrow();
                    i = close + 1;
                } else if (c == '[') {
                    int close = body.indexOf(']', i + 2);
                    atom = Character.toString(fromClass(body.substring(i + 1, close)));
                    i = close + 1;
                } else if (c == '\\') {
                    atom = Character.toString(escaped(body.charAt(i + 1)));
                    i += 2;
                } else if (c == '.') {
                    atom = "a";
                    i++;
                } else {
                    atom = Character.toString(c);
                    i++;
                }
                int[] repeat = {1};
                i = quantifier(body, i, repeat);
                out.append(atom.repeat(repeat[0]));
            }
        } catch (RuntimeException beyondThisSampler) {
            return Optional.empty();
        }
        String sample = out.toString();
        try {
            return Pattern.compile(regex).matcher(sample).find() ? Optional.of(sample) : Optional.empty();
        } catch (RuntimeException invalidRegex) {
            return Optional.empty();
        }
    }

    /** Reads a quantifier at {@code i}, stores how often to repeat the atom, returns the index after it. */
    private static int quantifier(String body, int i, int[] repeat) {
        if (i >= body.length()) {
            return i;
        }
        char q = body.charAt(i);
        switch (q) {
            case '?', '*' -> {
                repeat[0] = q == '?' ? 1 : 2;
                return i + 1;
            }
            case '+' -> {
                repeat[0] = 2;
                return i + 1;
            }
            case '{' -> {
                int close = body.indexOf('}', i);
                String[] bounds = body.substring(i + 1, close).split(",", -1);
                repeat[0] = Integer.parseInt(bounds[0].trim());
                return close + 1;
            }
            default -> {
                return i;
            }
        }
    }

    private static char escaped(char c) {
        return switch (c) {
            case 'd' -> '7';
            case 'w' -> 'a';
            case 's' -> ' ';
            case 'D', 'W', 'S', 'b', 'B' -> throw new IllegalArgumentException("not sampled: \\" + c);
            default -> c;
        };
    }

    /** The first character a class allows: its first range's start, or its first literal. */
    private static char fromClass(String cls) {
        if (cls.startsWith("^")) {
            throw new IllegalArgumentException("negated classes are not sampled");
        }
        if (cls.startsWith("\\")) {
            return escaped(cls.charAt(1));
        }
        return cls.charAt(0);
    }
}
