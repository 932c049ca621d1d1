package io.ventiapi.engine.check.injection;

import io.ventiapi.engine.Confidence;
import io.ventiapi.engine.Evidence;
import io.ventiapi.engine.OwaspCategory;
import io.ventiapi.engine.ScanProfile;
import io.ventiapi.engine.Severity;
import io.ventiapi.engine.check.Baseline;
import io.ventiapi.engine.check.Check;
import io.ventiapi.engine.check.InjectionPoint;
import io.ventiapi.engine.check.ResponseSimilarity;
import io.ventiapi.engine.check.Rule;
import io.ventiapi.engine.check.ScanContext;
import io.ventiapi.engine.http.ProbeResponse;
import io.ventiapi.engine.http.Redactor;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;
import java.util.regex.Pattern;

/**
 * SQL injection in every path, query, header and body parameter, three ways: database error messages that a
 * lone quote provokes and an escaped quote does not (error-based), a true condition that keeps the answer and
 * a false one that changes it (boolean), and a sleep that delays the answer (time-based, not in SAFE).
 */
public final class SqlInjectionCheck implements Check {

    private static final String REMEDIATION =
            "Use parameterized queries or prepared statements for every value that reaches SQL; never build SQL by string concatenation.";
    static final Rule ERROR_BASED = new Rule(
            "injection.sql-error",
            "SQL injection (error-based)",
            OwaspCategory.API8,
            89,
            Severity.HIGH,
            "A quote in the parameter breaks the SQL statement and the database error comes back in the response.",
            REMEDIATION);
    static final Rule BOOLEAN_BASED = new Rule(
            "injection.sql-boolean",
            "SQL injection (boolean-based)",
            OwaspCategory.API8,
            89,
            Severity.HIGH,
            "Appending a true SQL condition to the parameter keeps the answer; a false one changes it: the value is evaluated as SQL.",
            REMEDIATION);
    static final Rule TIME_BASED = new Rule(
            "injection.sql-time",
            "SQL injection (time-based)",
            OwaspCategory.API8,
            89,
            Severity.HIGH,
            "A database sleep function in the parameter delays the response by the requested time.",
            REMEDIATION);

    static final List<Pattern> SQL_ERRORS = List.of(
            Pattern.compile("You have an error in your SQL syntax"),
            Pattern.compile("(?i)warning.{0,40}mysqli?_"),
            Pattern.compile("PSQLException|org\\.postgresql\\.util"),
            Pattern.compile("unterminated quoted string at or near"),
            Pattern.compile("syntax error at or near"),
            Pattern.compile("\\bORA-\\d{5}\\b"),
            Pattern.compile("SQLITE_ERROR|sqlite3\\.OperationalError|SQLiteException"),
            Pattern.compile("Unclosed quotation mark after the character string"),
            Pattern.compile("quoted string not properly terminated"),
            Pattern.compile("SQLSTATE\\[\\w+\\]"),
            Pattern.compile("com\\.microsoft\\.sqlserver\\.jdbc|System\\.Data\\.SqlClient"),
            Pattern.compile("SQLGrammarException|BadSqlGrammarException"),
            Pattern.compile("(?i)pg_query\\(\\)|mysql_fetch"),
            Pattern.compile("near \".{1,60}\": syntax error|unrecognized token: \""),
            Pattern.compile(
                    "SequelizeDatabaseError|psycopg2\\.errors|pymysql\\.err|sqlalchemy\\.exc\\.|MySqlException|SQLiteException"),
            Pattern.compile("(?i)unclosed quotation mark|incorrect syntax near"));

    @Override
    public List<Rule> rules() {
        return List.of(ERROR_BASED, BOOLEAN_BASED, TIME_BASED);
    }

    @Override
    public void checkOperation(ScanContext context, Baseline baseline) {
        boolean baselineHasSqlError = sqlError(baseline.response()).isPresent();
        for (InjectionPoint point : InjectionPoint.of(baseline, context)) {
            if (!baselineHasSqlError && errorBased(context, baseline, point)) {
                continue;
            }
            if (baseline.response().isSuccess() && booleanBased(context, baseline, point)) {
                continue;
            }
            if (context.profile() != ScanProfile.SAFE) {
                timeBased(context, baseline, point);
            }
        }
    }

    private static boolean errorBased(ScanContext context, Baseline baseline, InjectionPoint point) {
        ProbeResponse broken = send(context, baseline, point, point.original() + "'");
        Optional<String> error = sqlError(broken);
        if (error.isEmpty()) {
            return false;
        }
        // An escaped quote is valid SQL: if the error goes away, the quote itself reached the SQL parser.
        ProbeResponse escaped = send(context, baseline, point, point.original() + "''");
        if (sqlError(escaped).isPresent()) {
            return false;
        }
        ProbeResponse again = send(context, baseline, point, point.original() + "'");
        if (sqlError(again).isEmpty()) {
            return false;
        }
        report(
                context,
                baseline,
                point,
                ERROR_BASED,
                List.of(broken, escaped),
                "A single quote produced the database error \"" + error.get()
                        + "\" (twice); two quotes, which SQL reads as an escaped quote, did not.");
        return true;
    }

    private static boolean booleanBased(ScanContext context, Baseline baseline, InjectionPoint point) {
        List<String[]> pairs = point.numeric()
                ? List.of(new String[] {" AND 1=1", " AND 1=2"}, new String[] {"' AND '1'='1", "' AND '1'='2"})
                : List.of(
                        new String[] {"' AND '1'='1", "' AND '1'='2"},
                        new String[] {"\" AND \"1\"=\"1", "\" AND \"1\"=\"2"});
        for (String[] pair : pairs) {
            ProbeResponse truthy = send(context, baseline, point, point.original() + pair[0]);
            if (!ResponseSimilarity.same(baseline.response(), truthy)) {
                continue;
            }
            ProbeResponse falsy = send(context, baseline, point, point.original() + pair[1]);
            if (ResponseSimilarity.same(baseline.response(), falsy)) {
                continue;
            }
            ProbeResponse truthyAgain = send(context, baseline, point, point.original() + pair[0]);
            ProbeResponse falsyAgain = send(context, baseline, point, point.original() + pair[1]);
            if (ResponseSimilarity.same(baseline.response(), truthyAgain)
                    && !ResponseSimilarity.same(baseline.response(), falsyAgain)) {
                report(
                        context,
                        baseline,
                        point,
                        BOOLEAN_BASED,
                        List.of(truthy, falsy, baseline.response()),
                        "Appending \"" + pair[0] + "\" kept the valid answer and \"" + pair[1] + "\" changed it (HTTP "
                                + falsy.status() + ", " + falsy.body().length + " bytes instead of "
                                + baseline.response().body().length + "), twice.");
                return true;
            }
        }
        return false;
    }

    private static void timeBased(ScanContext context, Baseline baseline, InjectionPoint point) {
        String v = point.original();
        List<IntFunction<String>> payloads = point.numeric()
                ? List.of(
                        d -> v + " AND SLEEP(" + d + ")",
                        d -> v + ";SELECT pg_sleep(" + d + ")--",
                        d -> v + ";WAITFOR DELAY '0:0:" + d + "'--")
                : List.of(
                        d -> v + "' AND SLEEP(" + d + ") AND '1'='1",
                        d -> v + "'||pg_sleep(" + d + ")||'",
                        d -> v + "';WAITFOR DELAY '0:0:" + d + "'--");
        for (IntFunction<String> payload : payloads) {
            var confirmed = TimeBasedConfirmation.confirm(context, baseline, point, payload);
            if (confirmed.isPresent()) {
                report(
                        context,
                        baseline,
                        point,
                        TIME_BASED,
                        confirmed.get(),
                        TimeBasedConfirmation.explanation(confirmed.get()));
                return;
            }
        }
    }

    private static ProbeResponse send(ScanContext context, Baseline baseline, InjectionPoint point, String value) {
        return context.send(
                point.apply(baseline.request(), value), baseline.identity().credentials());
    }

    static Optional<String> sqlError(ProbeResponse response) {
        String text = response.bodyText();
        for (Pattern pattern : SQL_ERRORS) {
            var matcher = pattern.matcher(text);
            if (matcher.find()) {
                return Optional.of(matcher.group());
            }
        }
        return Optional.empty();
    }

    static void report(
            ScanContext context,
            Baseline baseline,
            InjectionPoint point,
            Rule rule,
            List<ProbeResponse> exchanges,
            String explanation) {
        context.report(rule.finding(
                Confidence.CONFIRMED,
                baseline.operation().method(),
                baseline.operation().pathTemplate(),
                point.label(),
                new Evidence(exchanges.stream().map(Redactor::excerpt).toList(), explanation)));
    }
}
