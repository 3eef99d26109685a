package org.swarmmq.protocol.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.swarmmq.protocol.Bytes;
import org.swarmmq.protocol.codec.PacketEncoder;
import org.swarmmq.protocol.packets.*;

class OutboundPacketsTest {
    private static final Properties DIAGNOSTICS = Properties.EMPTY.with(PropertyId.REASON_STRING, "why it happened")
            .with(PropertyId.USER_PROPERTY, new UserProperty("key", "value"));

    private static OutboundPackets v5(int maxPacketSize, int aliases, boolean problemInformation) {
        return new OutboundPackets(ProtocolVersion.V5, new ClientLimits(maxPacketSize, aliases, problemInformation));
    }

    private static int size(Packet p) {
        return PacketEncoder.encodedSize(p, ProtocolVersion.V5);
    }

    @Test
    @DisplayName("[MQTT-3.1.2-29] Request Problem Information 0: no Reason String or User Property but on PUBLISH, CONNACK, DISCONNECT")
    void requestProblemInformationZero() {
        OutboundPackets out = v5(ClientLimits.NO_LIMIT, 0, false);
        assertEquals(new PubAck(1, ReasonCode.NO_MATCHING_SUBSCRIBERS, Properties.EMPTY),
                out.prepare(new PubAck(1, ReasonCode.NO_MATCHING_SUBSCRIBERS, DIAGNOSTICS)));
        assertEquals(new SubAck(2, List.of(ReasonCode.GRANTED_QOS_1), Properties.EMPTY),
                out.prepare(new SubAck(2, List.of(ReasonCode.GRANTED_QOS_1), DIAGNOSTICS)));
        assertEquals(new UnsubAck(2, List.of(ReasonCode.SUCCESS), Properties.EMPTY),
                out.prepare(new UnsubAck(2, List.of(ReasonCode.SUCCESS), DIAGNOSTICS)));
        assertEquals(new PubRel(4, ReasonCode.SUCCESS, Properties.EMPTY), out.prepare(new PubRel(4, ReasonCode.SUCCESS, DIAGNOSTICS)));
        Disconnect d = new Disconnect(ReasonCode.KEEP_ALIVE_TIMEOUT, DIAGNOSTICS);
        assertEquals(d, out.prepare(d));
        ConnAck c = new ConnAck(false, ReasonCode.SUCCESS, DIAGNOSTICS);
        assertEquals(c, out.prepare(c));
        Publish p = new Publish(false, 0, false, "t", 0, Bytes.utf8("x"), DIAGNOSTICS.without(PropertyId.REASON_STRING));
        assertEquals(p, out.prepare(p), "a PUBLISH's User Properties are the application's");
    }

    @Test
    @DisplayName("problem information wanted (the default): acks keep them")
    void problemInformationKept() {
        PubAck a = new PubAck(1, ReasonCode.NO_MATCHING_SUBSCRIBERS, DIAGNOSTICS);
        assertEquals(a, v5(ClientLimits.NO_LIMIT, 0, true).prepare(a));
    }

    @Test
    @DisplayName("[MQTT-3.2.2-19][MQTT-3.4.2-2][MQTT-3.14.2-3] too large for the client: the Reason String goes first, then the User Properties")
    void shrinkToFit() {
        Disconnect full = new Disconnect(ReasonCode.KEEP_ALIVE_TIMEOUT, DIAGNOSTICS);
        Disconnect noReason = new Disconnect(ReasonCode.KEEP_ALIVE_TIMEOUT, DIAGNOSTICS.without(PropertyId.REASON_STRING));
        Disconnect bare = Disconnect.of(ReasonCode.KEEP_ALIVE_TIMEOUT);
        assertEquals(full, v5(size(full), 0, true).prepare(full));
        assertEquals(noReason, v5(size(full) - 1, 0, true).prepare(full));
        assertEquals(bare, v5(size(noReason) - 1, 0, true).prepare(full));
        assertNull(v5(size(bare) - 1, 0, true).prepare(full), "nothing left to drop: not sent");
        PubAck ack = new PubAck(3, ReasonCode.NO_MATCHING_SUBSCRIBERS, DIAGNOSTICS);
        assertEquals(new PubAck(3, ReasonCode.NO_MATCHING_SUBSCRIBERS, Properties.EMPTY), v5(5, 0, true).prepare(ack), "40 03 00 03 10");
    }

    @Test
    @DisplayName("[MQTT-3.1.2-24] a PUBLISH above the client's Maximum Packet Size is never sent; one at the limit is")
    void publishLimit() {
        Publish p = new Publish(false, 1, false, "t", 1, Bytes.utf8("x".repeat(100)), Properties.EMPTY);
        assertEquals(p, v5(size(p), 0, true).prepare(p));
        assertNull(v5(size(p) - 1, 0, true).prepare(p));
    }

    @Test
    @DisplayName("topic aliases: the first PUBLISH sets one if it fits with it; else it goes as it was and sets none")
    void aliasOnlyIfItFits() {
        Publish p = new Publish(false, 0, false, "a/long/topic", 0, Bytes.utf8("x"), Properties.EMPTY);
        OutboundPackets tight = v5(size(p), 5, true);
        assertEquals(p, tight.prepare(p), "topic + alias is 3 bytes more: does not fit");
        assertEquals(p, tight.prepare(p), "still no alias set");
        OutboundPackets roomy = v5(ClientLimits.NO_LIMIT, 5, true);
        assertEquals(1, ((Publish) roomy.prepare(p)).properties().intValue(PropertyId.TOPIC_ALIAS, 0));
        Publish second = (Publish) roomy.prepare(p);
        assertEquals("", second.topic());
        assertTrue(size(second) < size(p));
    }

    @Test
    @DisplayName("MQTT 3.1.1: nothing changes, no aliases, no limit")
    void v3Unchanged() {
        OutboundPackets out = new OutboundPackets(ProtocolVersion.V3_1_1, new ClientLimits(10, 5, false));
        Publish p = new Publish(false, 0, false, "a/long/topic", 0, Bytes.utf8("x".repeat(50)), Properties.EMPTY);
        assertEquals(p, out.prepare(p));
        assertEquals(p, out.prepare(p));
    }
}
