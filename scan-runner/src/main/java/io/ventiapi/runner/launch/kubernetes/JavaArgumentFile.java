package io.ventiapi.runner.launch.kubernetes;

import java.util.List;

/**
 * Writes a java launcher argument file ({@code java @file}): the engine's command line, read
 * inside the pod from its Secret, so that identities never appear in the pod spec.
 */
final class JavaArgumentFile {

    private JavaArgumentFile() {}

    /** One argument per line, each quoted, so spaces, quotes and {@code #} survive as they are. */
    static String of(List<String> arguments) {
        StringBuilder file = new StringBuilder();
        for (String argument : arguments) {
            file.append('"');
            for (int i = 0; i < argument.length(); i++) {
                char c = argument.charAt(i);
                switch (c) {
                    case '\\' -> file.append("\\\\");
                    case '"' -> file.append("\\\"");
                    case '\n' -> file.append("\\n");
                    case '\r' -> file.append("\\r");
                    case '\t' -> file.append("\\t");
                    default -> file.append(c);
                }
            }
            file.append("\"\n");
        }
        return file.toString();
    }
}
