package org.swarmmq.protocol.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.swarmmq.protocol.codec.EncoderAssertions.hex;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;
import org.swarmmq.protocol.codec.PacketArbitraries.Sample;
import org.swarmmq.protocol.codec.PacketArbitraries.Stream;
import org.swarmmq.protocol.packets.Packet;
import org.swarmmq.protocol.packets.PacketType;
import org.swarmmq.protocol.packets.ProtocolVersion;
import org.swarmmq.protocol.topics.TopicFilters;

/** Every valid packet survives the trip through encoder, framing and decoder unchanged. */
class RoundTripPropertiesTest {

    @Provide
    Arbitrary<Sample> samples() {
        return PacketArbitraries.samples();
    }

    @Provide
    Arbitrary<Stream> streams() {
        return PacketArbitraries.streams(8);
    }

    /** Chunk sizes: mostly small, so cuts land inside headers and fields; some large. */
    @Provide
    Arbitrary<Integer> chunkSizes() {
        return Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.integers().between(1, 16)),
                Tuple.of(3, Arbitraries.integers().between(17, 300)), Tuple.of(1, Arbitraries.integers().between(301, 6000)));
    }

    @Provide
    Arbitrary<String> topicNames() {
        return PacketArbitraries.topicNames();
    }

    @Provide
    Arbitrary<String> topicFilters() {
        return PacketArbitraries.topicFilters();
    }

    /** Frames {@code wire}, which must hold exactly one packet, with that packet's size as the maximum, and decodes it. */
    static Packet decodeOne(byte[] wire, ProtocolVersion v) {
        FrameReader reader = new FrameReader(Math.max(2, wire.length));
        reader.feed(wire);
        Frame frame = reader.next();
        assertNotNull(frame, "incomplete: " + hex(wire));
        assertNull(reader.next(), "more than one packet: " + hex(wire));
        assertFalse(reader.hasPartialFrame(), "trailing bytes: " + hex(wire));
        assertEquals(wire.length, frame.wireSize());
        return PacketDecoder.decode(frame, v);
    }

    /** Uniform over versions and types (no edge-case mixin, which favours the first of each), coverage checked. */
    @Property(tries = 1000, edgeCases = EdgeCasesMode.NONE)
    @Label("decode(encode(p)) equals p and encodedSize is the encoded length, for all 15 types in 3.1, 3.1.1 and 5")
    void roundTrip(@ForAll("samples") Sample s) {
        assertRoundTrip(s);
        Statistics.label("version and type").collect(s.version(), s.packet().type());
        Statistics.label("version and type").coverage(coverage -> {
            for (ProtocolVersion v : ProtocolVersion.values()) {
                for (PacketType t : PacketType.values()) {
                    if (t != PacketType.AUTH || v.isV5()) coverage.check(v, t).count(n -> n > 0);
                }
            }
        });
    }

    /** The same with jqwik's edge cases mixed in: largest packet ids, empty strings, 0xFFFFFFFF values... */
    @Property(tries = 500)
    @Label("decode(encode(p)) equals p, edge values included")
    void roundTripWithEdgeCases(@ForAll("samples") Sample s) {
        assertRoundTrip(s);
    }

    private static void assertRoundTrip(Sample s) {
        byte[] wire = PacketEncoder.encode(s.packet(), s.version());
        assertEquals(wire.length, PacketEncoder.encodedSize(s.packet(), s.version()), "encodedSize");
        ByteBuffer buffer = ByteBuffer.allocate(wire.length + 3).position(3);
        PacketEncoder.encode(s.packet(), s.version(), buffer);
        assertArrayEquals(wire, Arrays.copyOfRange(buffer.array(), 3, buffer.position()), "ByteBuffer and array encodings differ");
        assertEquals(s.packet(), decodeOne(wire, s.version()), () -> hex(wire));
    }

    @Property(tries = 300, edgeCases = EdgeCasesMode.NONE)
    @Label("any cutting of a stream of packets, fed as arrays, heap and direct buffers, decodes to the same packets in order")
    void anyCuttingOfAStream(@ForAll("streams") Stream stream,
            @ForAll @Size(min = 1, max = 20) List<@From("chunkSizes") Integer> chunkSizes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Packet p : stream.packets()) out.writeBytes(PacketEncoder.encode(p, stream.version()));
        byte[] wire = out.toByteArray();

        FrameReader reader = new FrameReader(FrameReader.MAX_PACKET_SIZE);
        List<Packet> decoded = new ArrayList<>();
        int at = 0;
        for (int i = 0; at < wire.length; i++) {
            int n = Math.min(chunkSizes.get(i % chunkSizes.size()), wire.length - at);
            switch (i % 3) {
                case 0 -> reader.feed(wire, at, n);
                case 1 -> reader.feed(ByteBuffer.wrap(wire, at, n));
                default -> reader.feed(ByteBuffer.allocateDirect(n).put(wire, at, n).flip());
            }
            at += n;
            for (Frame f; (f = reader.next()) != null; ) decoded.add(PacketDecoder.decode(f, stream.version()));
        }
        assertEquals(stream.packets(), decoded);
        assertFalse(reader.hasPartialFrame());
    }

    @Property(tries = 300)
    @Label("4.7 the generators themselves make valid Topic Names and Topic Filters")
    void generatedNamesAreValid(@ForAll("topicNames") String name, @ForAll("topicFilters") String filter) {
        assertTrue(TopicFilters.isValidTopicName(name), name);
        assertTrue(TopicFilters.isValidFilter(filter), filter);
        if (filter.startsWith(TopicFilters.SHARED_PREFIX)) assertNotNull(TopicFilters.parseShared(filter), filter);
    }
}
