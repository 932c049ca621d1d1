package io.ventiapi.engine.report;

import io.ventiapi.engine.Evidence;
import io.ventiapi.engine.Finding;
import io.ventiapi.engine.ScanResult;
import io.ventiapi.engine.Severity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** One self-contained HTML page (inline CSS, no scripts, no external resources) that can be mailed or archived. */
public final class HtmlReport {

    private static final String CSS = """
            body{font:14px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:2rem auto;max-width:70rem;color:#1d2430;padding:0 1rem}
            h1{font-size:1.5rem;margin-bottom:.2rem}.meta{color:#5b6575}
            table.summary{border-collapse:collapse;margin:1rem 0}table.summary td,table.summary th{border:1px solid #d6dbe3;padding:.3rem .8rem;text-align:center}
            .finding{border:1px solid #d6dbe3;border-left-width:6px;border-radius:4px;margin:1rem 0;padding:.6rem 1rem}
            .CRITICAL{border-left-color:#7a0b1c}.HIGH{border-left-color:#c62828}.MEDIUM{border-left-color:#ef8f00}.LOW{border-left-color:#1e88e5}.INFO{border-left-color:#78909c}
            .badge{display:inline-block;border-radius:3px;padding:0 .4rem;color:#fff;font-size:.8rem;font-weight:600;margin-right:.4rem}
            .badge.CRITICAL{background:#7a0b1c}.badge.HIGH{background:#c62828}.badge.MEDIUM{background:#ef8f00}.badge.LOW{background:#1e88e5}.badge.INFO{background:#78909c}
            code,pre{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px}pre{background:#f4f6f9;padding:.6rem;overflow:auto;white-space:pre-wrap;word-break:break-all}
            .muted{color:#5b6575;font-size:.85rem}
            """;

    private HtmlReport() {}

    public static String render(ScanResult result) {
        StringBuilder html = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
        html.append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        html.append("<title>venti-scan: ")
                .append(escape(result.apiTitle()))
                .append("</title><style>")
                .append(CSS)
                .append("</style></head><body>");
        html.append("<h1>API security scan: ").append(escape(result.apiTitle())).append("</h1>");
        html.append("<p class=\"meta\">Target <code>")
                .append(escape(result.target()))
                .append("</code> · started ")
                .append(escape(result.startedAt().toString()))
                .append(" · ")
                .append(result.duration().toMillis())
                .append(" ms · ")
                .append(result.requestsSent())
                .append(" requests · ")
                .append(result.operationsTested())
                .append(" of ")
                .append(result.operationsPlanned())
                .append(" operations exercised · outcome ")
                .append(result.outcome().name());
        if (!result.reason().isEmpty()) {
            html.append(" (").append(escape(result.reason())).append(')');
        }
        html.append("</p><table class=\"summary\"><tr>");
        for (Severity severity : Severity.values()) {
            html.append("<th>").append(severity.name()).append("</th>");
        }
        html.append("</tr><tr>");
        for (Severity severity : Severity.values()) {
            html.append("<td>")
                    .append(result.findings().stream()
                            .filter(f -> f.severity() == severity)
                            .count())
                    .append("</td>");
        }
        html.append("</tr></table>");
        if (result.findings().isEmpty()) {
            html.append("<p>No findings.</p>");
        }
        for (Finding finding : result.findings()) {
            html.append("<section class=\"finding ")
                    .append(finding.severity().name())
                    .append("\">");
            html.append("<h2 style=\"font-size:1.1rem;margin:.2rem 0\"><span class=\"badge ")
                    .append(finding.severity().name())
                    .append("\">")
                    .append(finding.severity().name())
                    .append("</span>")
                    .append(escape(finding.title()))
                    .append("</h2>");
            html.append("<p><code>")
                    .append(escape(finding.method() + " " + finding.pathTemplate()))
                    .append("</code>");
            if (finding.parameter() != null) {
                html.append(" · parameter <code>")
                        .append(escape(finding.parameter()))
                        .append("</code>");
            }
            html.append("</p><p class=\"muted\">")
                    .append(escape(
                            finding.category().code() + " " + finding.category().title()))
                    .append(" · ")
                    .append(finding.cwe())
                    .append(" · rule <code>")
                    .append(escape(finding.ruleId()))
                    .append("</code> · confidence ")
                    .append(finding.confidence().name().toLowerCase(Locale.ROOT))
                    .append(" · fingerprint <code>")
                    .append(finding.fingerprint().value(), 0, 16)
                    .append("</code></p>");
            html.append("<p>").append(escape(finding.evidence().explanation())).append("</p>");
            html.append("<p><strong>Fix:</strong> ")
                    .append(escape(finding.remediation()))
                    .append("</p>");
            int n = 1;
            for (Evidence.Exchange exchange : finding.evidence().exchanges()) {
                html.append("<details><summary>Exchange ")
                        .append(n++)
                        .append(" (")
                        .append(exchange.elapsedMillis())
                        .append(" ms)</summary>");
                html.append("<pre>")
                        .append(escape(exchange.request()))
                        .append("</pre><pre>")
                        .append(escape(exchange.response()))
                        .append("</pre></details>");
            }
            html.append("</section>");
        }
        html.append(
                "<p class=\"muted\">Generated by venti-scan. Credentials and secrets in evidence are redacted.</p></body></html>\n");
        return html.toString();
    }

    public static void write(ScanResult result, Path file) throws IOException {
        Files.writeString(file, render(result));
    }

    static String escape(String text) {
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;")
                .replace("'", "&#39;");
    }
}
