package io.ventiapi.tenancy;

/** Thrown when code that needs a tenant runs where none is bound: the tenant context fails closed. */
public final class NoTenantBoundException extends IllegalStateException {

    NoTenantBoundException() {
        super("no tenant is bound to this scope");
    }
}
