package org.swarmmq.actors.connection;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RetainedInFlightTest {
    @Test
    void fullAtTheLimitAndFreedByEachAnswer() {
        RetainedInFlight w = new RetainedInFlight();
        Set<Long> ids = new HashSet<>();
        for (int i = 0; i < RetainedInFlight.LIMIT - 1; i++) ids.add(w.start(0));
        assertFalse(w.full());
        long last = w.start(0);
        assertTrue(w.full());
        assertTrue(ids.add(last), "ids are distinct");
        w.routed(last);
        assertFalse(w.full());
        w.routed(last); // a duplicate answer frees nothing more
        w.start(0);
        assertTrue(w.full());
    }

    @Test
    void idsAreNegativeSoNeverARouteTrackerId() {
        RetainedInFlight w = new RetainedInFlight();
        long id = w.start(0);
        assertTrue(RetainedInFlight.isOurs(id));
        assertFalse(RetainedInFlight.isOurs(new RouteTracker<String, Integer>().start("m", 1, 0)));
        assertNotEquals(id, w.start(0));
    }

    @Test
    void unansweredOnesAreForgottenAfterTheTimeoutNotBefore() {
        RetainedInFlight w = new RetainedInFlight();
        for (int i = 0; i < RetainedInFlight.LIMIT; i++) w.start(1_000);
        w.expire(1_999, 1_000);
        assertTrue(w.full(), "not yet");
        w.expire(2_000, 1_000);
        assertTrue(w.isEmpty());
    }
}
