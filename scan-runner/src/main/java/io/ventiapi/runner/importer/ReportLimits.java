package io.ventiapi.runner.importer;

import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the runner reads of a report at most: its document as a tree of a bounded number of JSON
 * tokens (a report of 8 MiB of {@code {}} would otherwise become millions of nodes), and a bounded
 * number of results, each of which could become a finding and one stream entry.
 */
final class ReportLimits {

    /** The most results (SARIF results, ZAP alert instances) a report may hold. */
    static final int MAX_RESULTS = 10_000;

    /** The most JSON tokens a report may hold; far more than {@link #MAX_RESULTS} results need. */
    static final long MAX_TOKENS = 1_000_000;

    /** Why a report with more than {@link #MAX_RESULTS} results, or more than {@link #MAX_TOKENS} tokens, is refused. */
    static final String TOO_MANY_RESULTS =
            "the scanner's report holds more than 10,000 results (or 1,000,000 JSON values)";

    /** Reads reports within {@link #MAX_TOKENS}. */
    static final JsonMapper JSON = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxTokenCount(MAX_TOKENS)
                            .build())
                    .build())
            .build();

    /** A report past the limits: refused whole, nothing of it published. */
    static final class TooManyResultsException extends RuntimeException {

        TooManyResultsException() {
            super(TOO_MANY_RESULTS);
        }
    }

    private int results;

    /** Counts one more result, refusing the report past {@link #MAX_RESULTS}. */
    void count() {
        if (++results > MAX_RESULTS) {
            throw new TooManyResultsException();
        }
    }

    private ReportLimits() {}

    static ReportLimits counter() {
        return new ReportLimits();
    }
}
