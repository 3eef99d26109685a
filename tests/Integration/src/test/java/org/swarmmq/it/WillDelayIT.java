package org.swarmmq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.swarmmq.protocol.Bytes;
import org.swarmmq.protocol.packets.Connect;
import org.swarmmq.protocol.packets.Properties;
import org.swarmmq.protocol.packets.PropertyId;
import org.swarmmq.protocol.packets.ProtocolVersion;
import org.swarmmq.protocol.packets.Publish;
import org.swarmmq.protocol.packets.Will;

/**
 * MQTT 5 Will Delay Interval on a real node: the will goes out when the delay ends or the session
 * ends, whichever is first, and not at all when the client is back in time [MQTT-3.1.3-9].
 */
class WillDelayIT {
    private static BrokerProcess node;

    @BeforeAll
    static void start() {
        node = BrokerProcess.start("will-delay");
    }

    @AfterAll
    static void stop() {
        if (node != null) node.close();
    }

    /** Connects with a will on {@code topic} delayed {@code delay} s and a session of {@code expiry} s. */
    private static RawClient withWill(String id, String topic, long delay, long expiry, boolean cleanStart) {
        RawClient c = RawClient.open(node).version(ProtocolVersion.V5);
        Will will = new Will(topic, Bytes.utf8("gone " + id), 0, false,
                Properties.EMPTY.with(PropertyId.WILL_DELAY_INTERVAL, delay));
        c.connect(new Connect(ProtocolVersion.V5, id, cleanStart, 60, will, null, null,
                Properties.EMPTY.with(PropertyId.SESSION_EXPIRY_INTERVAL, expiry)));
        return c;
    }

    private static RawClient watcher(String topic) {
        RawClient w = RawClient.connect(node, ProtocolVersion.V3_1_1, "watch-" + topic.replace('/', '-'), true);
        w.subscribe(topic, 0);
        return w;
    }

    @Test
    @DisplayName("the will waits for its delay (2 s), then goes out")
    void delayedWill() {
        try (RawClient w = watcher("wd/late")) {
            withWill("late", "wd/late", 2, 300, true).close(); // the socket drops: no DISCONNECT
            w.expectNothing(Duration.ofMillis(1_200));
            Publish p = w.expect(Publish.class, Duration.ofSeconds(10));
            assertEquals("gone late", p.payload().utf8String());
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.3-9] back within the delay: the will is never published")
    void backInTime() {
        try (RawClient w = watcher("wd/back")) {
            withWill("back", "wd/back", 3, 300, true).close();
            try (RawClient again = withWill("back", "wd/back", 3, 300, false)) {
                w.expectNothing(Duration.ofSeconds(4));
            }
        }
    }

    @Test
    @DisplayName("the session ends (1 s) before the delay (60 s): the will goes out when the session ends")
    void sessionEndsFirst() {
        try (RawClient w = watcher("wd/short")) {
            withWill("short", "wd/short", 60, 1, true).close();
            Publish p = w.expect(Publish.class, Duration.ofSeconds(10));
            assertEquals("gone short", p.payload().utf8String());
        }
    }
}
