package org.swarmmq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.swarmmq.protocol.Bytes;
import org.swarmmq.protocol.packets.ConnAck;
import org.swarmmq.protocol.packets.Connect;
import org.swarmmq.protocol.packets.Disconnect;
import org.swarmmq.protocol.packets.Properties;
import org.swarmmq.protocol.packets.PropertyId;
import org.swarmmq.protocol.packets.ProtocolVersion;
import org.swarmmq.protocol.packets.PubAck;
import org.swarmmq.protocol.packets.Publish;
import org.swarmmq.protocol.packets.ReasonCode;

/** MQTT 5 Session Expiry Interval on a real node, over its restart. */
class SessionExpiryIT {
    private static ConnAck connect(RawClient c, String id, boolean cleanStart, long expiry) {
        return c.connect(new Connect(ProtocolVersion.V5, id, cleanStart, 60, null, null, null,
                Properties.EMPTY.with(PropertyId.SESSION_EXPIRY_INTERVAL, expiry)));
    }

    @Test
    @DisplayName("a session that expired while the node was down is gone after the restart; one within its interval is kept with its queue")
    void expiryAcrossRestart() throws Exception {
        try (BrokerProcess node = BrokerProcess.start("session-expiry")) {
            for (var s : new Object[][] {{"short-lived", 2L}, {"long-lived", 600L}}) {
                try (RawClient c = RawClient.open(node).version(ProtocolVersion.V5)) {
                    connect(c, (String) s[0], true, (Long) s[1]);
                    c.subscribe("se/t", 1);
                    c.send(Disconnect.of(ReasonCode.SUCCESS));
                    assertTrue(c.closedWithin(Duration.ofSeconds(5)));
                }
            }
            try (RawClient pub = RawClient.connect(node, ProtocolVersion.V5, "se-pub", true)) {
                pub.send(new Publish(false, 1, false, "se/t", 1, Bytes.utf8("queued"), Properties.EMPTY));
                pub.expect(PubAck.class);
            }
            node.stop();
            Thread.sleep(2_500); // longer than the short session's 2 s
            node.startAgain();
            try (RawClient c = RawClient.open(node).version(ProtocolVersion.V5)) {
                assertFalse(connect(c, "short-lived", false, 600).sessionPresent(), "expired while the node was down");
                c.expectNothing(Duration.ofMillis(500));
            }
            try (RawClient c = RawClient.open(node).version(ProtocolVersion.V5)) {
                assertTrue(connect(c, "long-lived", false, 600).sessionPresent());
                assertEquals("queued", c.expect(Publish.class).payload().utf8String());
            }
        }
    }

    @Test
    @DisplayName("DISCONNECT with Session Expiry Interval 0 ends a session that would have lasted an hour")
    void disconnectEndsSession() {
        try (BrokerProcess node = BrokerProcess.start("session-expiry-zero")) {
            try (RawClient c = RawClient.open(node).version(ProtocolVersion.V5)) {
                connect(c, "changes-mind", true, 3600);
                c.send(new Disconnect(ReasonCode.SUCCESS, Properties.EMPTY.with(PropertyId.SESSION_EXPIRY_INTERVAL, 0L)));
                assertTrue(c.closedWithin(Duration.ofSeconds(5)));
            }
            try (RawClient c = RawClient.open(node).version(ProtocolVersion.V5)) {
                assertFalse(connect(c, "changes-mind", false, 3600).sessionPresent());
            }
        }
    }
}
