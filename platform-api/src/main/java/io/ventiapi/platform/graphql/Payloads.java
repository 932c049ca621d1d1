package io.ventiapi.platform.graphql;

import io.ventiapi.platform.common.UserError;
import io.ventiapi.platform.common.UserErrorException;
import java.util.function.Function;
import java.util.function.Supplier;

/** Runs a mutation and turns an expected failure into its payload's {@code errors}. */
public final class Payloads {

    private Payloads() {}

    public static <P> P attempt(Supplier<P> mutation, Function<UserError, P> failed) {
        try {
            return mutation.get();
        } catch (UserErrorException e) {
            return failed.apply(e.error());
        }
    }
}
