package org.swarmmq.protocol.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.swarmmq.protocol.codec.DecoderFixtures.assertRejected;
import static org.swarmmq.protocol.codec.DecoderFixtures.hex;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.swarmmq.protocol.Bytes;
import org.swarmmq.protocol.ProtocolException;
import org.swarmmq.protocol.packets.PacketType;
import org.swarmmq.protocol.packets.ProtocolVersion;
import org.swarmmq.protocol.packets.Publish;
import org.swarmmq.protocol.packets.ReasonCode;

class FrameReaderTest {
    /** Packets captured from mosquitto and paho (3.1.1): PUBLISH, PUBACK, SUBSCRIBE, PINGREQ, DISCONNECT. */
    private static final String STREAM = "32 0A 00 03 31 31 30 00 06 31 32 33"
            + "40 02 00 06"
            + "82 08 00 01 00 03 31 31 30 00"
            + "C0 00"
            + "E0 00";

    private static final List<Frame> EXPECTED = List.of(
            new Frame(0x32, hex("00 03 31 31 30 00 06 31 32 33")),
            new Frame(0x40, hex("00 06")),
            new Frame(0x82, hex("00 01 00 03 31 31 30 00")),
            new Frame(0xC0, new byte[0]),
            new Frame(0xE0, new byte[0]));

    private static List<Frame> drain(FrameReader reader) {
        List<Frame> out = new ArrayList<>();
        for (Frame f; (f = reader.next()) != null; ) out.add(f);
        return out;
    }

    @Test
    void severalPacketsInOneChunk() {
        FrameReader reader = new FrameReader(1024);
        reader.feed(hex(STREAM));
        assertEquals(EXPECTED, drain(reader));
        assertFalse(reader.hasPartialFrame());
    }

    @Test
    void fedOneByteAtATime() {
        byte[] stream = hex(STREAM);
        FrameReader reader = new FrameReader(1024);
        List<Frame> frames = new ArrayList<>();
        for (byte b : stream) {
            reader.feed(new byte[] {b}, 0, 1);
            frames.addAll(drain(reader));
        }
        assertEquals(EXPECTED, frames);
        assertFalse(reader.hasPartialFrame());
    }

    @Test
    void splitAtEveryPosition() {
        byte[] stream = hex(STREAM);
        for (int cut = 0; cut <= stream.length; cut++) {
            FrameReader reader = new FrameReader(1024);
            reader.feed(stream, 0, cut);
            List<Frame> frames = new ArrayList<>(drain(reader));
            reader.feed(stream, cut, stream.length - cut);
            frames.addAll(drain(reader));
            assertEquals(EXPECTED, frames, "cut at " + cut);
        }
    }

    @Test
    void splitAtEveryPositionThroughDirectByteBuffers() {
        byte[] stream = hex(STREAM);
        for (int cut = 0; cut <= stream.length; cut++) {
            FrameReader reader = new FrameReader(1024);
            ByteBuffer first = ByteBuffer.allocateDirect(cut).put(stream, 0, cut).flip();
            ByteBuffer second = ByteBuffer.allocateDirect(stream.length - cut).put(stream, cut, stream.length - cut).flip();
            reader.feed(first);
            assertFalse(first.hasRemaining(), "feed consumes the buffer");
            List<Frame> frames = new ArrayList<>(drain(reader));
            reader.feed(second);
            frames.addAll(drain(reader));
            assertEquals(EXPECTED, frames, "cut at " + cut);
        }
    }

    @Test
    void needMoreReturnsNull() {
        FrameReader reader = new FrameReader(1024);
        assertNull(reader.next());
        assertFalse(reader.hasPartialFrame());
        reader.feed(hex("32 0A 00 03 31"));
        assertNull(reader.next(), "half a PUBLISH is not an error, just not a frame yet");
        assertTrue(reader.hasPartialFrame());
        reader.feed(hex("31 30 00 06 31 32 33"));
        assertEquals(EXPECTED.get(0), reader.next());
        assertNull(reader.next());
    }

    @Test
    void receivedBytesAreCopiedSoTheCallerMayReuseItsBuffer() {
        byte[] chunk = hex("40 02 00 06");
        FrameReader reader = new FrameReader(1024);
        reader.feed(chunk);
        Arrays.fill(chunk, (byte) 0x77);
        assertArrayEquals(hex("00 06"), reader.next().body());
    }

    @ParameterizedTest(name = "RemainingLength {0} is encoded as {1}")
    @CsvSource({"0, 00", "64, 40", "127, 7F", "128, 80 01", "321, C1 02", "16383, FF 7F", "16384, 80 80 01"})
    void remainingLengthEncodings(int length, String encoded) {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.write(0x30);
        wire.writeBytes(hex(encoded));
        byte[] body = new byte[length];
        for (int i = 0; i < length; i++) body[i] = (byte) i;
        wire.writeBytes(body);
        FrameReader reader = new FrameReader(1 << 20);
        reader.feed(wire.toByteArray());
        Frame f = reader.next();
        assertNotNull(f);
        assertEquals(length, f.remainingLength());
        assertArrayEquals(body, f.body());
        assertEquals(1 + hex(encoded).length + length, f.wireSize());
        assertEquals(PacketType.PUBLISH, f.type());
    }

    /** Too large to allocate in a test: the decoded value shows in the PACKET_TOO_LARGE report. */
    @ParameterizedTest(name = "RemainingLength {0} is encoded as {1}")
    @CsvSource({"2097151, FF FF 7F", "2097152, 80 80 80 01", "268435455, FF FF FF 7F"})
    void largeRemainingLengthEncodings(int length, String encoded) {
        FrameReader reader = new FrameReader(1000);
        reader.feed(hex("30 " + encoded));
        ProtocolException e = assertRejected(ReasonCode.PACKET_TOO_LARGE, reader::next);
        assertTrue(e.getMessage().contains("RemainingLength " + length + ")"), e.getMessage());
    }

    @Test
    @DisplayName("[MQTT-1.5.5-1] a RemainingLength of 5 bytes is malformed")
    void mqtt_1_5_5_1_fiveByteRemainingLength() {
        FrameReader reader = new FrameReader(FrameReader.MAX_PACKET_SIZE);
        reader.feed(hex("C0 00  30 FF FF FF FF 7F"));
        assertEquals(new Frame(0xC0, new byte[0]), reader.next(), "the packet before the bad one is delivered");
        assertRejected(ReasonCode.MALFORMED_PACKET, reader::next);
    }

    @Test
    @DisplayName("[MQTT-1.5.5-1] the fourth RemainingLength byte with a continuation bit is already malformed")
    void mqtt_1_5_5_1_fourthByteContinues() {
        FrameReader reader = new FrameReader(FrameReader.MAX_PACKET_SIZE);
        reader.feed(hex("30 FF FF FF FF"));
        assertRejected(ReasonCode.MALFORMED_PACKET, reader::next);
    }

    @Test
    @DisplayName("Maximum Packet Size: a 100 MB packet is refused on its header, before its body arrives")
    void tooLargeIsDetectedBeforeTheBody() {
        FrameReader reader = new FrameReader(1 << 20);
        // RemainingLength 104857600 = 0x6400000: 80 80 80 32
        reader.feed(hex("30 80 80 80 32"));
        ProtocolException e = assertRejected(ReasonCode.PACKET_TOO_LARGE, reader::next);
        assertTrue(e.getMessage().contains("104857605"), e.getMessage());
    }

    @Test
    void maximumPacketSizeCountsTheWholePacket() {
        // 1 + 1 + 8 = 10 bytes on the wire
        byte[] packet = hex("30 08 00 01 61 31 32 33 34 35");
        FrameReader atLimit = new FrameReader(10);
        atLimit.feed(packet);
        assertEquals(10, atLimit.next().wireSize());

        FrameReader belowLimit = new FrameReader(9);
        belowLimit.feed(packet);
        assertRejected(ReasonCode.PACKET_TOO_LARGE, belowLimit::next);
    }

    @Test
    @DisplayName("[MQTT-2.1.2] packet type 0 is reserved")
    void reservedPacketTypeZero() {
        FrameReader reader = new FrameReader(1024);
        reader.feed(hex("00 00"));
        assertRejected(ReasonCode.MALFORMED_PACKET, reader::next);
    }

    @Test
    void anErrorEndsTheStream() {
        FrameReader reader = new FrameReader(1024);
        reader.feed(hex("0F 00"));
        assertRejected(ReasonCode.MALFORMED_PACKET, reader::next);
        reader.feed(hex("C0 00"));
        assertRejected(ReasonCode.MALFORMED_PACKET, reader::next);
        ByteBuffer more = ByteBuffer.wrap(hex("C0 00"));
        reader.feed(more);
        assertFalse(more.hasRemaining(), "input after the error is consumed and dropped");
        assertRejected(ReasonCode.MALFORMED_PACKET, reader::next);
    }

    @Test
    void heapByteBufferFromItsPosition() {
        ByteBuffer b = ByteBuffer.wrap(hex("FF FF 40 02 00 06"));
        b.position(2);
        FrameReader reader = new FrameReader(1024);
        reader.feed(b);
        assertEquals(EXPECTED.get(1), reader.next());
        assertEquals(b.limit(), b.position());
    }

    @Test
    @DisplayName("Memory follows the bytes received: a declared 200 MiB body with 100 bytes sent allocates < 1 MiB")
    void declaredBodyIsNotAllocatedUpFront() {
        assumeTrue(AllocationCounter.supported(), "this JVM does not count allocated bytes per thread");
        FrameReader reader = new FrameReader(256 << 20);
        // RemainingLength 209715200 (200 MiB) = 100 * 128^3: 80 80 80 64
        byte[] header = hex("30 80 80 80 64");
        byte[] hundredBytes = new byte[100];
        long before = AllocationCounter.allocatedBytes();
        reader.feed(header);
        reader.feed(hundredBytes);
        Frame f = reader.next();
        long allocated = AllocationCounter.allocatedBytes() - before;
        assertNull(f);
        assertTrue(reader.hasPartialFrame());
        assertTrue(allocated < 1 << 20, "allocated " + allocated + " bytes for 105 bytes received");
        assertTrue(reader.toString().contains("100/209715200 body bytes"), reader.toString());
    }

    @Test
    @DisplayName("A 5 MiB PUBLISH fed in 1 KiB chunks grows its buffer and decodes to the same payload")
    void largeBodyInSmallChunks() {
        byte[] payload = new byte[5 << 20];
        for (int i = 0; i < payload.length; i++) payload[i] = (byte) (i * 31 + (i >>> 11));
        Publish sent = Publish.of("big/body", 1, 7, Bytes.wrap(payload));
        byte[] wire = PacketEncoder.encode(sent, ProtocolVersion.V5);
        FrameReader reader = new FrameReader(FrameReader.MAX_PACKET_SIZE);
        Frame frame = null;
        for (int at = 0; at < wire.length; at += 1024) {
            assertNull(frame, "a frame before its last byte arrived");
            reader.feed(wire, at, Math.min(1024, wire.length - at));
            frame = reader.next();
        }
        assertNotNull(frame);
        assertNull(reader.next());
        assertFalse(reader.hasPartialFrame());
        assertEquals(wire.length, frame.wireSize());
        Publish received = (Publish) PacketDecoder.decode(frame, ProtocolVersion.V5);
        assertEquals(Bytes.wrap(payload), received.payload());
        assertEquals(sent, received);
    }
}
