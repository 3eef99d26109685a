package org.swarmmq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.swarmmq.protocol.packets.ProtocolVersion.V3_1_1;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.swarmmq.protocol.Bytes;
import org.swarmmq.protocol.packets.Connect;
import org.swarmmq.protocol.packets.Properties;
import org.swarmmq.protocol.packets.PubComp;
import org.swarmmq.protocol.packets.PubRec;
import org.swarmmq.protocol.packets.PubRel;
import org.swarmmq.protocol.packets.Publish;

/**
 * Inbound QoS 2 ids awaiting PUBREL are session state ("QoS 2 messages which have been received
 * from the Client, but have not been completely acknowledged", 3.1.2.4), so exactly-once holds
 * across a reconnect of a Clean Session 0 publisher.
 *
 * <p>The first test is EXPECTED TO FAIL while those ids are kept per connection.
 */
@DisplayName("Inbound QoS 2 across a reconnect of the publisher (clean session 0)")
class InboundQos2ResumeIT {
    private static final Duration QUIET = Duration.ofMillis(500);

    private static BrokerProcess broker;

    @BeforeAll
    static void startBroker() {
        broker = BrokerProcess.start("inbound-qos2");
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) broker.close();
    }

    @Test
    @DisplayName("[MQTT-4.3.3-2] [MQTT-4.4.0-1] a QoS 2 PUBLISH re-sent (DUP=1) after reconnect, before PUBREL, is not delivered twice")
    void republishAfterReconnectIsNotDeliveredTwice() {
        String id = Ids.unique("q2pub");
        String topic = Ids.unique("q2resume") + "/t";
        Publish publish = new Publish(false, 2, false, topic, 9, Bytes.utf8("exactly once"), Properties.EMPTY);
        try (RawClient sub = RawClient.connect(broker, V3_1_1, Ids.unique("q2sub"), true)) {
            sub.subscribe(topic, 2);
            try (RawClient pub = RawClient.connect(broker, V3_1_1, id, false)) {
                pub.send(publish);
                receiveQos2(sub); // the broker has the message; the publisher drops before it sees PUBREC
            }
            try (RawClient pub = RawClient.open(broker)) {
                assertTrue(pub.connect(Connect.of(V3_1_1, id, false, 60)).sessionPresent());
                pub.send(new Publish(true, 2, false, topic, 9, publish.payload(), Properties.EMPTY));
                assertEquals(new PubRec(9), pub.expect(PubRec.class));
                pub.send(new PubRel(9));
                assertEquals(new PubComp(9), pub.expect(PubComp.class));
                pub.disconnect();
            }
            sub.expectNothing(QUIET); // a second copy would break exactly once
        }
    }

    @Test
    @DisplayName("[MQTT-4.4.0-1] a PUBREL re-sent after reconnect is answered with PUBCOMP, and nothing is delivered again")
    void pubRelAfterReconnectIsCompleted() {
        String id = Ids.unique("q2rel");
        String topic = Ids.unique("q2rel") + "/t";
        try (RawClient sub = RawClient.connect(broker, V3_1_1, Ids.unique("q2relsub"), true)) {
            sub.subscribe(topic, 2);
            try (RawClient pub = RawClient.connect(broker, V3_1_1, id, false)) {
                pub.send(new Publish(false, 2, false, topic, 11, Bytes.utf8("released late"), Properties.EMPTY));
                assertEquals(new PubRec(11), pub.expect(PubRec.class));
            }
            receiveQos2(sub);
            try (RawClient pub = RawClient.open(broker)) {
                assertTrue(pub.connect(Connect.of(V3_1_1, id, false, 60)).sessionPresent());
                pub.send(new PubRel(11));
                assertEquals(new PubComp(11), pub.expect(PubComp.class));
                pub.disconnect();
            }
            sub.expectNothing(QUIET);
        }
    }

    private static void receiveQos2(RawClient sub) {
        Publish got = sub.expect(Publish.class);
        assertEquals(2, got.qos());
        sub.send(new PubRec(got.packetId()));
        assertEquals(new PubRel(got.packetId()), sub.expect(PubRel.class));
        sub.send(new PubComp(got.packetId()));
    }
}
