package io.ventiapi.engine.rules;

/** A rule file that cannot be used, with the file, the line (1-based; 0 when unknown) and the problem. */
public final class RuleFileException extends RuntimeException {

    private final String source;
    private final int line;
    private final String problem;

    public RuleFileException(String source, int line, String problem) {
        super(source + ":" + line + ": " + problem);
        this.source = source;
        this.line = line;
        this.problem = problem;
    }

    /** The file (or other source name) the rule came from. */
    public String source() {
        return source;
    }

    public int line() {
        return line;
    }

    public String problem() {
        return problem;
    }
}
