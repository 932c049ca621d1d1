package io.ventiapi.engine.check;

import io.ventiapi.engine.check.access.FunctionLevelAuthorizationCheck;
import io.ventiapi.engine.check.access.ObjectLevelAuthorizationCheck;
import io.ventiapi.engine.check.access.OtherUserPasswordCheck;
import io.ventiapi.engine.check.access.UserAttributeCheck;
import io.ventiapi.engine.check.auth.BrokenAuthenticationCheck;
import io.ventiapi.engine.check.auth.JwtKeyConfusionCheck;
import io.ventiapi.engine.check.auth.SessionLifecycleCheck;
import io.ventiapi.engine.check.auth.UserEnumerationCheck;
import io.ventiapi.engine.check.auth.WeakJwtSecretCheck;
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
import io.ventiapi.engine.check.property.MassAssignmentCheck;
import io.ventiapi.engine.check.resource.ResourceConsumptionCheck;
import io.ventiapi.engine.check.ssrf.ServerSideRequestForgeryCheck;
import io.ventiapi.engine.rules.DeclarativeCheck;
import java.util.List;

/** The checks the engine runs by default, and the rules they can report. */
public final class BuiltInChecks {

    private BuiltInChecks() {}

    /** Every built-in check, the bundled declarative rules included. */
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
                new ConformanceCheck(),
                new ObjectLevelAuthorizationCheck(),
                new UserAttributeCheck(),
                new OtherUserPasswordCheck(),
                new FunctionLevelAuthorizationCheck(),
                new MassAssignmentCheck(),
                new WeakJwtSecretCheck(),
                new JwtKeyConfusionCheck(),
                new SessionLifecycleCheck(),
                new UserEnumerationCheck(),
                new ResourceConsumptionCheck(),
                new ServerSideRequestForgeryCheck(),
                DeclarativeCheck.bundled());
    }

    /** Every rule of every built-in check, e.g. for the SARIF rule list. */
    public static List<Rule> rules() {
        return all().stream().flatMap(check -> check.rules().stream()).toList();
    }
}
