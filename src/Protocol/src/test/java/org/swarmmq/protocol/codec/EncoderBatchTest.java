package org.swarmmq.protocol.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.swarmmq.protocol.Bytes;
import org.swarmmq.protocol.packets.ConnAck;
import org.swarmmq.protocol.packets.Packet;
import org.swarmmq.protocol.packets.PingResp;
import org.swarmmq.protocol.packets.Properties;
import org.swarmmq.protocol.packets.PropertyId;
import org.swarmmq.protocol.packets.ProtocolVersion;
import org.swarmmq.protocol.packets.PubAck;
import org.swarmmq.protocol.packets.Publish;

/** A batch of packets encodes to exactly the concatenation of its packets, in order. */
class EncoderBatchTest {
    private static final List<Packet> BATCH = List.of(
            ConnAck.accepted(true),
            new Publish(false, 1, false, "a/b", 7, Bytes.utf8("123"),
                    Properties.EMPTY.with(PropertyId.CONTENT_TYPE, "text/plain")),
            new PubAck(7),
            PingResp.INSTANCE,
            Publish.of("x", 0, 0, Bytes.wrap(new byte[300])));

    @Test
    @DisplayName("encode(list) equals the packets encoded one by one, for 3.1.1 and 5")
    void batchIsTheConcatenation() {
        for (ProtocolVersion v : List.of(ProtocolVersion.V3_1_1, ProtocolVersion.V5)) {
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            for (Packet p : BATCH) expected.writeBytes(PacketEncoder.encode(p, v));
            assertArrayEquals(expected.toByteArray(), PacketEncoder.encode(BATCH, v), v.toString());
        }
    }

    @Test
    @DisplayName("an empty batch is an empty array")
    void emptyBatch() {
        assertEquals(0, PacketEncoder.encode(List.of(), ProtocolVersion.V5).length);
    }
}
