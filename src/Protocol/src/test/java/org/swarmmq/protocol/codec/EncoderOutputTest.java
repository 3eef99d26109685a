package org.swarmmq.protocol.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.swarmmq.protocol.codec.EncoderAssertions.hex;
import static org.swarmmq.protocol.packets.ProtocolVersion.V3_1_1;
import static org.swarmmq.protocol.packets.ProtocolVersion.V5;

import java.lang.management.ManagementFactory;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.util.Arrays;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.swarmmq.protocol.Bytes;
import org.swarmmq.protocol.packets.Properties;
import org.swarmmq.protocol.packets.Publish;

/** Where the encoder writes, and what it allocates on the PUBLISH hot path. */
class EncoderOutputTest {
    static final Publish PUBLISH = Publish.of("110", 1, 6, Bytes.utf8("123"));
    static final String PUBLISH_HEX = "32 0A 00 03 31 31 30 00 06 31 32 33";

    @Test
    @DisplayName("into a slice of a heap buffer: honours its array offset and position")
    void slicedHeapBuffer() {
        byte[] backing = new byte[40];
        ByteBuffer slice = ByteBuffer.wrap(backing, 5, 30).slice(); // arrayOffset 5
        slice.position(4);
        PacketEncoder.encode(PUBLISH, V3_1_1, slice);
        assertEquals(16, slice.position());
        assertEquals(PUBLISH_HEX, hex(Arrays.copyOfRange(backing, 9, 21)));
        assertEquals(0, backing[8]);
        assertEquals(0, backing[21]);
    }

    @Test
    @DisplayName("into a direct buffer: same bytes at its position")
    void directBuffer() {
        ByteBuffer direct = ByteBuffer.allocateDirect(20);
        direct.position(3);
        PacketEncoder.encode(PUBLISH, V3_1_1, direct);
        assertEquals(15, direct.position());
        byte[] written = new byte[12];
        direct.flip().position(3);
        direct.get(written);
        assertEquals(PUBLISH_HEX, hex(written));
    }

    @Test
    @DisplayName("a buffer too small: BufferOverflowException, nothing written, position kept")
    void bufferTooSmall() {
        byte[] backing = new byte[12];
        ByteBuffer buffer = ByteBuffer.wrap(backing);
        buffer.position(1); // 11 left, 12 needed
        assertThrows(BufferOverflowException.class, () -> PacketEncoder.encode(PUBLISH, V3_1_1, buffer));
        assertEquals(1, buffer.position());
        assertEquals(hex(new byte[12]), hex(backing));
    }

    @Test
    @DisplayName("a read-only buffer is refused")
    void readOnlyBuffer() {
        ByteBuffer readOnly = ByteBuffer.allocate(20).asReadOnlyBuffer();
        assertThrows(ReadOnlyBufferException.class, () -> PacketEncoder.encode(PUBLISH, V3_1_1, readOnly));
    }

    @Test
    @DisplayName("PUBLISH encode allocates the output array and nothing else: no topic bytes, no payload copy")
    void publishAllocatesOnlyTheOutput() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "HotSpot allocation counter");
        com.sun.management.ThreadMXBean hotspot = (com.sun.management.ThreadMXBean) bean;
        Assumptions.assumeTrue(hotspot.isThreadAllocatedMemorySupported() && hotspot.isThreadAllocatedMemoryEnabled());

        // A long multi-byte topic and a big payload: a String.getBytes or a payload copy would show.
        String topic = "sensors/€/".repeat(200);
        Bytes payload = Bytes.wrap(new byte[8192], 100, 4096);
        Publish[] packets = {
            new Publish(false, 1, false, topic, 7, payload, Properties.EMPTY),
            new Publish(false, 0, false, topic, 0, payload, EncoderGoldenTest.SOME_PROPERTIES),
        };
        for (Publish p : packets) {
            for (var v : new org.swarmmq.protocol.packets.ProtocolVersion[] {V3_1_1, V5}) {
                int size = PacketEncoder.encodedSize(p, v);
                long arrayBytes = (16 + size + 7) & ~7L; // header and padding of one byte[] on a 64-bit JVM
                PacketEncoder.encode(p, v); // loads and links anything lazily initialised
                long threadId = Thread.currentThread().getId();
                int rounds = 200;
                long before = hotspot.getThreadAllocatedBytes(threadId);
                for (int i = 0; i < rounds; i++) PacketEncoder.encode(p, v);
                long perEncode = (hotspot.getThreadAllocatedBytes(threadId) - before) / rounds;
                // A little slack for the counter's own bookkeeping; a topic's bytes alone would be 2,400.
                assertTrue(perEncode <= arrayBytes + 64, "allocated " + perEncode + " per encode, array is " + arrayBytes);
                assertTrue(perEncode >= size, "the output array itself is counted: " + perEncode);
            }
        }
    }
}
