package io.ventiapi.engine.report;

import io.ventiapi.engine.Finding;
import io.ventiapi.engine.ScanResult;
import io.ventiapi.engine.check.Rule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * JUnit XML for CI test tabs: one failed test case per finding, and one passed test case per rule that found
 * nothing, so a clean scan still shows what was checked.
 */
public final class JUnitReport {

    private JUnitReport() {}

    public static String render(ScanResult result, List<Rule> rules) {
        List<Rule> clean = rules.stream()
                .filter(rule ->
                        result.findings().stream().noneMatch(f -> f.ruleId().equals(rule.id())))
                .toList();
        int tests = result.findings().size() + clean.size();
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        xml.append("<testsuites name=\"venti-scan\" tests=\"")
                .append(tests)
                .append("\" failures=\"")
                .append(result.findings().size())
                .append("\" time=\"")
                .append(seconds(result))
                .append("\">\n");
        xml.append("  <testsuite name=\"")
                .append(escape("venti-scan " + result.apiTitle()))
                .append("\" tests=\"")
                .append(tests)
                .append("\" failures=\"")
                .append(result.findings().size())
                .append("\" errors=\"0\" skipped=\"0\" time=\"")
                .append(seconds(result))
                .append("\" timestamp=\"")
                .append(result.startedAt().toString(), 0, 19)
                .append("\">\n");
        xml.append("    <properties>\n");
        property(xml, "target", result.target());
        property(xml, "outcome", result.outcome().name());
        property(xml, "requestsSent", Integer.toString(result.requestsSent()));
        xml.append("    </properties>\n");
        for (Finding finding : result.findings()) {
            xml.append("    <testcase classname=\"")
                    .append(escape(finding.category().code() + " " + finding.ruleId()))
                    .append("\" name=\"")
                    .append(escape(finding.method() + " " + finding.pathTemplate()
                            + (finding.parameter() == null ? "" : " " + finding.parameter())))
                    .append("\">\n");
            xml.append("      <failure type=\"")
                    .append(finding.severity().name().toLowerCase(Locale.ROOT))
                    .append("\" message=\"")
                    .append(escape(finding.title() + " (" + finding.cwe() + ")"))
                    .append("\">")
                    .append(escape(finding.evidence().explanation() + "\n\nRemediation: " + finding.remediation()))
                    .append("</failure>\n");
            xml.append("    </testcase>\n");
        }
        for (Rule rule : clean) {
            xml.append("    <testcase classname=\"")
                    .append(escape(rule.category().code() + " " + rule.id()))
                    .append("\" name=\"")
                    .append(escape(rule.title()))
                    .append("\"/>\n");
        }
        xml.append("  </testsuite>\n</testsuites>\n");
        return xml.toString();
    }

    public static void write(ScanResult result, List<Rule> rules, Path file) throws IOException {
        Files.writeString(file, render(result, rules));
    }

    private static void property(StringBuilder xml, String name, String value) {
        xml.append("      <property name=\"")
                .append(name)
                .append("\" value=\"")
                .append(escape(value))
                .append("\"/>\n");
    }

    private static String seconds(ScanResult result) {
        return String.format(Locale.ROOT, "%.3f", result.duration().toMillis() / 1000.0);
    }

    /** XML-escapes text and drops characters XML 1.0 cannot carry at all. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> {
                    if (c >= 0x20 || c == '\n' || c == '\r' || c == '\t') {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
