package io.ventiapi.platform.audit.graphql;

import io.ventiapi.platform.audit.AuditChainStatus;
import io.ventiapi.platform.audit.AuditEvent;
import io.ventiapi.platform.audit.AuditFilter;
import io.ventiapi.platform.audit.AuditReader;
import io.ventiapi.platform.common.UserErrorException;
import io.ventiapi.platform.graphql.Paging;
import java.time.Instant;
import org.springframework.data.domain.Window;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.query.ScrollSubrange;
import org.springframework.stereotype.Controller;

@Controller
class AuditController {

    private final AuditReader audit;

    AuditController(AuditReader audit) {
        this.audit = audit;
    }

    @QueryMapping
    Window<AuditEvent> auditEvents(@Argument AuditEventFilter filter, ScrollSubrange subrange) {
        var criteria = filter == null
                ? AuditFilter.NONE
                : new AuditFilter(filter.action(), filter.actorType(), filter.targetType(), filter.from(), filter.to());
        return audit.events(criteria, Paging.position(subrange), Paging.limit(subrange));
    }

    @QueryMapping
    AuditChainStatus auditChainStatus(@Argument AuditAnchor anchor) {
        if (anchor == null) {
            return audit.verify(null);
        }
        if (anchor.seq() < 1 || anchor.hash() == null || !anchor.hash().matches("[0-9a-fA-F]{64}")) {
            throw UserErrorException.invalid(
                    "anchor", "an anchor is an event's seq (from 1) and its 64-digit hex hash");
        }
        return audit.verify(new AuditChainStatus.Anchor(anchor.seq(), anchor.hash()));
    }

    record AuditAnchor(long seq, String hash) {}

    record AuditEventFilter(String action, String actorType, String targetType, Instant from, Instant to) {}
}
