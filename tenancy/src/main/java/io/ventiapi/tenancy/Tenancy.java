package io.ventiapi.tenancy;

import java.util.Optional;
import org.slf4j.MDC;

/**
 * The tenant context. A tenant is bound for a scope (an HTTP request, a queue message) with
 * {@link #call(TenantId, ScopedValue.CallableOp)} or {@link #run(TenantId, Runnable)}; {@link #current()} throws
 * where none is bound, so tenant-owned work cannot run by accident without one.
 *
 * <p>The context is a {@link ScopedValue}: it cannot leak into the next request on a pooled thread,
 * and it is immutable within its scope. The tenant is mirrored into the logging MDC under {@value
 * #MDC_KEY} for the duration of the scope.
 */
public final class Tenancy {

    /** The MDC key, and the observation key, that carry the tenant id. */
    public static final String MDC_KEY = "tenant.id";

    private static final ScopedValue<TenantId> CURRENT = ScopedValue.newInstance();

    private Tenancy() {}

    /** The tenant bound to this scope; throws {@link NoTenantBoundException} if none is. */
    public static TenantId current() {
        if (!CURRENT.isBound()) {
            throw new NoTenantBoundException();
        }
        return CURRENT.get();
    }

    /** The tenant bound to this scope, if any. For infrastructure that must also work unbound. */
    public static Optional<TenantId> find() {
        return CURRENT.isBound() ? Optional.of(CURRENT.get()) : Optional.empty();
    }

    /**
     * Runs {@code work} with {@code tenant} bound, returning its result. A database transaction keeps
     * the tenant it began with: {@code work} bound to another tenant cannot join one already open
     * ({@code TenantTransactionBinder} refuses), it begins its own.
     */
    public static <T, X extends Throwable> T call(TenantId tenant, ScopedValue.CallableOp<T, X> work) throws X {
        String previous = MDC.get(MDC_KEY);
        MDC.put(MDC_KEY, tenant.value());
        try {
            return ScopedValue.where(CURRENT, tenant).call(work);
        } finally {
            if (previous == null) {
                MDC.remove(MDC_KEY);
            } else {
                MDC.put(MDC_KEY, previous);
            }
        }
    }

    /** Runs {@code work} with {@code tenant} bound. */
    public static void run(TenantId tenant, Runnable work) {
        call(tenant, () -> {
            work.run();
            return null;
        });
    }
}
