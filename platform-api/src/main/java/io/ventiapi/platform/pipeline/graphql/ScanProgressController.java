package io.ventiapi.platform.pipeline.graphql;

import io.ventiapi.platform.common.CurrentActor;
import io.ventiapi.platform.common.UserErrorException;
import io.ventiapi.platform.graphql.Ids;
import io.ventiapi.platform.pipeline.ScanProgress;
import io.ventiapi.platform.pipeline.ScanProgressFeed;
import io.ventiapi.platform.scan.ScanService;
import io.ventiapi.tenancy.Tenancy;
import java.util.UUID;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.SubscriptionMapping;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Flux;

@Controller
class ScanProgressController {

    private final ScanService scans;
    private final ScanProgressFeed feed;

    ScanProgressController(ScanService scans, ScanProgressFeed feed) {
        this.scans = scans;
        this.feed = feed;
    }

    /**
     * The scan's state now, then each change until it ends. The scan is looked up with the
     * caller's tenant bound (WebSocket messages do not pass the HTTP tenant filter), so another
     * tenant's scan id is not found.
     */
    @SubscriptionMapping
    Flux<ScanProgress> scanProgress(@Argument String scanId) {
        var actor = CurrentActor.get();
        UUID id;
        try {
            id = Ids.uuid(scanId, "scan");
        } catch (UserErrorException e) {
            return Flux.error(e);
        }
        var changes = feed.changes(actor.tenant().value(), id);
        var scan = Tenancy.call(actor.tenant(), () -> scans.find(id));
        if (scan.isEmpty()) {
            changes.subscribe().dispose();
            return Flux.error(UserErrorException.notFound("scan", id));
        }
        var now = ScanProgress.of(actor.tenant().value(), scan.get());
        if (now.isFinal()) {
            changes.subscribe().dispose();
            return Flux.just(now);
        }
        return ScanProgressFeed.inOrder(Flux.concat(Flux.just(now), changes)).takeUntil(ScanProgress::isFinal);
    }
}
