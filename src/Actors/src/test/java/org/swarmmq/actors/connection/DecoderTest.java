package org.swarmmq.actors.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.swarmmq.protocol.Bytes;
import org.swarmmq.protocol.codec.PacketEncoder;
import org.swarmmq.protocol.packets.Connect;
import org.swarmmq.protocol.packets.Packet;
import org.swarmmq.protocol.packets.PingReq;
import org.swarmmq.protocol.packets.Properties;
import org.swarmmq.protocol.packets.Property;
import org.swarmmq.protocol.packets.PropertyId;
import org.swarmmq.protocol.packets.ProtocolVersion;
import org.swarmmq.protocol.packets.PubAck;
import org.swarmmq.protocol.packets.Publish;
import org.swarmmq.protocol.packets.ReasonCode;
import org.swarmmq.protocol.packets.Subscribe;
import org.swarmmq.protocol.packets.Subscription;
import org.swarmmq.protocol.packets.UserProperty;

/** The connection's codec: framing, the version learnt from CONNECT, violations. */
class DecoderTest {
    private static final int MAX = 1 << 20;

    /** Feeds the chunks one by one, taking every packet after each, as the connection does. */
    private static List<Object> run(List<ByteString> chunks, int maxPacketSize) {
        Decoder decoder = new Decoder(maxPacketSize);
        List<Object> out = new ArrayList<>();
        for (ByteString chunk : chunks) {
            decoder.feed(chunk);
            for (Object o; (o = decoder.next()) != null; ) out.add(o);
        }
        return out;
    }

    private static byte[] encode(ProtocolVersion v, Packet... packets) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Packet p : packets) out.writeBytes(PacketEncoder.encode(p, v));
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    /** Cuts {@code bytes} into chunks of 1..maxChunk bytes, reproducibly. */
    private static List<ByteString> split(byte[] bytes, long seed, int maxChunk) {
        Random r = new Random(seed);
        List<ByteString> out = new ArrayList<>();
        int at = 0;
        while (at < bytes.length) {
            int n = Math.min(bytes.length - at, 1 + r.nextInt(maxChunk));
            out.add(ByteString.fromArray(bytes, at, n));
            at += n;
        }
        return out;
    }

    private static ReasonCode violation(Object element) {
        return assertInstanceOf(ConnectionProtocol.Violation.class, element).error().reasonCode();
    }

    private static final Connect CONNECT_311 = Connect.of(ProtocolVersion.V3_1_1, "c1", true, 60);

    @Test
    @DisplayName("bytes split arbitrarily (even one by one) give the packets in order")
    void arbitrarySplits() {
        List<Packet> packets = List.of(
                CONNECT_311,
                Publish.of("a/b", 1, 1, Bytes.utf8("hello")),
                new Subscribe(2, List.of(new Subscription("a/#", 2), new Subscription("b/+", 0)), Properties.EMPTY),
                new PubAck(9),
                PingReq.INSTANCE,
                Publish.of("big", 0, 0, Bytes.wrap(new byte[5000])));
        byte[] bytes = encode(ProtocolVersion.V3_1_1, packets.toArray(new Packet[0]));
        assertEquals(packets, run(split(bytes, 1, 1), MAX));
        for (long seed = 2; seed < 6; seed++) assertEquals(packets, run(split(bytes, seed, 700), MAX));
        assertEquals(packets, run(List.of(ByteString.fromArray(bytes)), MAX));
    }

    @Test
    @DisplayName("the version comes from the CONNECT: a v5 PUBLISH with properties decodes as MQTT 5")
    void versionFromConnect() {
        Connect connect = new Connect(ProtocolVersion.V5, "c5", true, 30, null, null, null, Properties.of(
                new Property(PropertyId.SESSION_EXPIRY_INTERVAL, 120L),
                new Property(PropertyId.RECEIVE_MAXIMUM, 10)));
        Publish publish = new Publish(false, 1, true, "x/y", 5, Bytes.utf8("v5"), Properties.of(
                new Property(PropertyId.PAYLOAD_FORMAT_INDICATOR, 1),
                new Property(PropertyId.MESSAGE_EXPIRY_INTERVAL, 30L),
                new Property(PropertyId.CONTENT_TYPE, "text/plain"),
                new Property(PropertyId.USER_PROPERTY, new UserProperty("k", "v1")),
                new Property(PropertyId.USER_PROPERTY, new UserProperty("k", "v2"))));
        byte[] v5Publish = encode(ProtocolVersion.V5, publish);
        byte[] bytes = concat(encode(ProtocolVersion.V5, connect), v5Publish);
        assertEquals(List.of(connect, publish), run(split(bytes, 7, 3), MAX));

        // Control: the same PUBLISH bytes after a 3.1.1 CONNECT are read without properties, so
        // they cannot give the same packet. This is what makes the assertion above mean something.
        List<Object> as311 = run(List.of(ByteString.fromArray(concat(encode(ProtocolVersion.V3_1_1, CONNECT_311),
                v5Publish))), MAX);
        assertEquals(2, as311.size());
        assertNotEquals(publish, as311.get(1));
    }

    @Test
    @DisplayName("[MQTT-3.3.1-4] a malformed packet yields one Violation (MALFORMED_PACKET), then nothing more")
    void malformedThenSilence() {
        byte[] qos3Publish = {0x36, 0x05, 0x00, 0x01, 'a', 0x00, 0x01};
        byte[] ping = encode(ProtocolVersion.V3_1_1, PingReq.INSTANCE);
        byte[] valid = encode(ProtocolVersion.V3_1_1, Publish.of("a", 0, 0, Bytes.utf8("p")));
        List<ByteString> chunks = List.of(
                ByteString.fromArray(concat(encode(ProtocolVersion.V3_1_1, CONNECT_311), qos3Publish, ping)),
                ByteString.fromArray(valid),
                ByteString.fromArray(ping));
        List<Object> out = run(chunks, MAX);
        assertEquals(2, out.size(), out::toString);
        assertEquals(CONNECT_311, out.get(0));
        assertEquals(ReasonCode.MALFORMED_PACKET, violation(out.get(1)));
    }

    @Test
    @DisplayName("a packet over the maximum packet size is a PACKET_TOO_LARGE violation")
    void tooLarge() {
        byte[] bytes = concat(encode(ProtocolVersion.V3_1_1, CONNECT_311),
                encode(ProtocolVersion.V3_1_1, Publish.of("a", 0, 0, Bytes.wrap(new byte[200]))),
                encode(ProtocolVersion.V3_1_1, PingReq.INSTANCE));
        List<Object> out = run(split(bytes, 3, 16), 100);
        assertEquals(2, out.size(), out::toString);
        assertEquals(ReasonCode.PACKET_TOO_LARGE, violation(out.get(1)));
    }

    @Test
    @DisplayName("[MQTT-3.1.2-2] an unknown protocol level is an UNSUPPORTED_PROTOCOL_VERSION violation")
    void unsupportedLevel() {
        byte[] level6 = {0x10, 0x0F, 0x00, 0x04, 'M', 'Q', 'T', 'T', 0x06, 0x02, 0x00, 0x3C, 0x00, 0x03, 'c', 'i', 'd'};
        List<Object> out = run(List.of(ByteString.fromArray(level6)), MAX);
        assertEquals(1, out.size(), out::toString);
        assertEquals(ReasonCode.UNSUPPORTED_PROTOCOL_VERSION, violation(out.get(0)));
    }

    @Test
    @DisplayName("[MQTT-3.1.0-1] a first packet other than CONNECT is a PROTOCOL_ERROR violation, not a stream failure")
    void firstPacketNotConnect() {
        byte[] bytes = concat(encode(ProtocolVersion.V3_1_1, PingReq.INSTANCE),
                encode(ProtocolVersion.V3_1_1, CONNECT_311));
        List<Object> out = run(List.of(ByteString.fromArray(bytes)), MAX);
        assertEquals(1, out.size(), out::toString);
        assertEquals(ReasonCode.PROTOCOL_ERROR, violation(out.get(0)));
    }
}
