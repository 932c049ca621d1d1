package io.ventiapi.platform.common;

import io.ventiapi.tenancy.Tenancy;
import java.util.function.LongSupplier;
import java.util.function.ToIntFunction;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Holds the bound tenant to its plan's quotas ({@link Plan}) when it creates something a quota
 * counts. Called inside the creating transaction, before anything is written: it takes the
 * tenant's advisory lock for that quota until the transaction ends, so two creations at once
 * cannot both see the last place free.
 */
@Component
public class TenantQuotas {

    private final JdbcClient jdbc;

    TenantQuotas(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** What a quota counts, and how to make room once it is reached. */
    public enum Quota {
        ACTIVE_SCANS("scans queued or running", Plan::activeScans, "start this one when one of them has ended"),
        PROJECTS("projects that are not archived", Plan::projects, "archive one first"),
        MEMBERS("members", Plan::members, "remove one first"),
        API_CLIENTS("API clients that are not revoked", Plan::apiClients, "revoke one first");

        private final String counted;
        private final ToIntFunction<Plan> limit;
        private final String room;

        Quota(String counted, ToIntFunction<Plan> limit, String room) {
            this.counted = counted;
            this.limit = limit;
            this.room = room;
        }
    }

    /**
     * Refuses one more of what {@code quota} counts once the bound tenant has as many as its plan
     * allows.
     *
     * @param count how many the tenant has now, counted after the lock is taken
     */
    public void requireRoom(Quota quota, LongSupplier count) {
        var tenant = Tenancy.current().value();
        jdbc.sql("select pg_advisory_xact_lock(hashtext('quota:' || ? || ':' || ?))")
                .param(quota.name())
                .param(tenant)
                .query()
                .singleValue();
        var plan = plan();
        int limit = quota.limit.applyAsInt(plan);
        if (count.getAsLong() >= limit) {
            throw UserErrorException.conflict("the tenant has " + limit + " " + quota.counted + ", the most its " + plan
                    + " plan allows: " + quota.room);
        }
    }

    /** The bound tenant's plan. */
    public Plan plan() {
        var tenant = Tenancy.current().value();
        return jdbc.sql("select plan from tenants where id = ?")
                .param(tenant)
                .query(String.class)
                .optional()
                .map(Plan::valueOf)
                .orElseThrow(() -> UserErrorException.notFound("tenant", tenant));
    }
}
