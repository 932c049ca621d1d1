package io.ventiapi.tenancy;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The identifier of a tenant: a lower-case slug (letters, digits, hyphens), 2 to 40 characters,
 * usable as is in a Kubernetes namespace name ({@code venti-t-<id>}) and a PostgreSQL setting.
 */
public record TenantId(String value) {

    private static final Pattern SLUG = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])");

    /** The reserved tenant that owns the platform operators' accounts and clients. */
    public static final TenantId PLATFORM = new TenantId("platform");

    public TenantId {
        Objects.requireNonNull(value, "tenant id");
        if (!SLUG.matcher(value).matches()) {
            throw new IllegalArgumentException(
                    "a tenant id is 2-40 lower-case letters, digits or inner hyphens, got '" + value + "'");
        }
    }

    public static TenantId of(String value) {
        return new TenantId(value);
    }

    /** Whether {@code value} would be a valid tenant id. */
    public static boolean isValid(String value) {
        return value != null && SLUG.matcher(value).matches();
    }

    /** The Kubernetes namespace in which this tenant's scanner workloads run. */
    public String namespace() {
        return "venti-t-" + value;
    }

    @Override
    public String toString() {
        return value;
    }
}
