package io.ventiapi.server.graphql;

import java.util.concurrent.CountDownLatch;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.stereotype.Controller;

/** Test only: a query that, once armed, stays executing until the test releases it. */
@Controller
class PlaceHoldingController {

    private static volatile Hold armed;

    /** The next {@code holdPlace} query, once it executes, waits until {@link Hold#release()}. */
    static Hold arm() {
        var hold = new Hold(new CountDownLatch(1), new CountDownLatch(1));
        armed = hold;
        return hold;
    }

    record Hold(CountDownLatch entered, CountDownLatch released) {

        void awaitEntered() throws InterruptedException {
            entered.await();
        }

        void release() {
            released.countDown();
        }
    }

    @QueryMapping
    Boolean holdPlace() throws InterruptedException {
        var hold = armed;
        if (hold == null) {
            return false;
        }
        armed = null;
        hold.entered().countDown();
        hold.released().await();
        return true;
    }
}
