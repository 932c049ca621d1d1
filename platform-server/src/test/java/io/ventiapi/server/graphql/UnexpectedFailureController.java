package io.ventiapi.server.graphql;

import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.stereotype.Controller;

/** Test only: a data fetcher that fails like a bug, with internals in its message. */
@Controller
class UnexpectedFailureController {

    @QueryMapping
    String failUnexpectedly() {
        throw new IllegalStateException("ERROR: relation \"members\" violates constraint at select * from members");
    }
}
