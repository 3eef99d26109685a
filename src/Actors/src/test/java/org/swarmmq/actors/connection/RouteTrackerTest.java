package org.swarmmq.actors.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RouteTrackerTest {
    private static final long SECOND = 1_000_000_000L;
    private final RouteTracker<String, String> tracker = new RouteTracker<>();

    @Test
    @DisplayName("routed to no persistent session: complete at once")
    void routedWithoutConfirmations() {
        long id = tracker.start("m", "ack", 0);
        assertEquals("ack", tracker.routed(id, 0));
        assertTrue(tracker.isEmpty());
    }

    @Test
    @DisplayName("complete only when routed and every persistent session confirmed, in either order")
    void waitsForEveryConfirmation() {
        long a = tracker.start("a", "ack-a", 0);
        assertNull(tracker.routed(a, 2));
        assertNull(tracker.confirmed(a));
        assertEquals("ack-a", tracker.confirmed(a));

        long b = tracker.start("b", "ack-b", 0);
        assertNull(tracker.confirmed(b), "a confirmation may overtake Routed (another node)");
        assertEquals("ack-b", tracker.routed(b, 1));
        assertTrue(tracker.isEmpty());
    }

    @Test
    @DisplayName("not complete in time: routed again under a new id; answers to the old id count no more")
    void overdueIsRoutedAgain() {
        long id = tracker.start("m", "ack", 0);
        assertNull(tracker.routed(id, 1));
        assertEquals(List.of(), tracker.overdue(4 * SECOND, 5 * SECOND), "not yet late");

        List<RouteTracker.Retry<String>> late = tracker.overdue(5 * SECOND, 5 * SECOND);
        assertEquals(1, late.size());
        assertEquals("m", late.get(0).message());
        long again = late.get(0).correlationId();
        assertTrue(again != id);

        assertNull(tracker.confirmed(id), "the first attempt's late confirmation is ignored");
        assertNull(tracker.routed(again, 1));
        assertEquals("ack", tracker.confirmed(again));
        assertTrue(tracker.isEmpty());
    }

    @Test
    @DisplayName("an unknown or finished correlation id changes nothing")
    void unknownIdsIgnored() {
        long id = tracker.start("m", "ack", 0);
        assertEquals("ack", tracker.routed(id, 0));
        assertNull(tracker.routed(id, 0));
        assertNull(tracker.confirmed(99));
        assertEquals(0, tracker.size());
    }

    @Test
    @DisplayName("the number of clients matched comes with the completion, whether Routed or the last Confirmed completes it")
    void matchedCount() {
        long a = tracker.start("a", "ack-a", 0);
        assertEquals(new RouteTracker.Done<>("ack-a", 0), tracker.routed(a, 0, 0));
        long b = tracker.start("b", "ack-b", 0);
        assertNull(tracker.confirmedDone(b));
        assertEquals(new RouteTracker.Done<>("ack-b", 3), tracker.routed(b, 1, 3));
        long c = tracker.start("c", "ack-c", 0);
        assertNull(tracker.routed(c, 1, 2));
        assertEquals(new RouteTracker.Done<>("ack-c", 2), tracker.confirmedDone(c));
    }
}
