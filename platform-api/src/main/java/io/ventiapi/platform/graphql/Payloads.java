package io.ventiapi.platform.graphql;

import io.ventiapi.platform.common.CurrentActor;
import io.ventiapi.platform.common.UserError;
import io.ventiapi.platform.common.UserErrorException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.springframework.security.access.AccessDeniedException;

/**
 * Runs a mutation and turns an expected failure into its payload's {@code errors}; shows the
 * object it changed only to those who may read it.
 */
public final class Payloads {

    private Payloads() {}

    public static <P> P attempt(Supplier<P> mutation, Function<UserError, P> failed) {
        try {
            return mutation.get();
        } catch (UserErrorException e) {
            return failed.apply(e.error());
        }
    }

    /**
     * The object a mutation changed, as its payload shows it: only to a caller holding {@code
     * readScope}, the scope that reads that object anywhere else. Changing is not reading: a client
     * holding only {@code findings:triage} triages a finding without seeing it. Without the scope
     * the field is refused ({@code FORBIDDEN}) and the change stands.
     */
    public static <T> T readable(String readScope, T changed) {
        if (changed != null && !CurrentActor.holds(readScope)) {
            throw new AccessDeniedException("reading it needs " + readScope);
        }
        return changed;
    }
}
