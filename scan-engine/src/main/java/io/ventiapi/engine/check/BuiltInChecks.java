package io.ventiapi.engine.check;

import io.ventiapi.engine.check.auth.BrokenAuthenticationCheck;
import io.ventiapi.engine.check.conformance.ConformanceCheck;
import io.ventiapi.engine.check.exposure.SensitiveDataCheck;
import io.ventiapi.engine.check.exposure.UndocumentedFieldCheck;
import io.ventiapi.engine.check.injection.CommandInjectionCheck;
import io.ventiapi.engine.check.injection.NoSqlInjectionCheck;
import io.ventiapi.engine.check.injection.PathTraversalCheck;
import io.ventiapi.engine.check.injection.SqlInjectionCheck;
import io.ventiapi.engine.check.inventory.UndocumentedEndpointCheck;
import io.ventiapi.engine.check.misconfig.SecurityMisconfigurationCheck;
import io.ventiapi.engine.check.misconfig.VerboseErrorCheck;
import java.util.List;

/** The checks the engine runs by default, and the rules they can report. */
public final class BuiltInChecks {

    private BuiltInChecks() {}

    /** Every built-in check. */
    public static List<Check> all() {
        return List.of(
                new BrokenAuthenticationCheck(),
                new SecurityMisconfigurationCheck(),
                new VerboseErrorCheck(),
                new SqlInjectionCheck(),
                new NoSqlInjectionCheck(),
                new CommandInjectionCheck(),
                new PathTraversalCheck(),
                new SensitiveDataCheck(),
                new UndocumentedFieldCheck(),
                new UndocumentedEndpointCheck(),
                new ConformanceCheck());
    }

    /** Every rule of every built-in check, e.g. for the SARIF rule list. */
    public static List<Rule> rules() {
        return all().stream().flatMap(check -> check.rules().stream()).toList();
    }
}
