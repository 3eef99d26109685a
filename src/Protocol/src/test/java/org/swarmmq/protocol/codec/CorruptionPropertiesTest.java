package org.swarmmq.protocol.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.swarmmq.protocol.codec.EncoderAssertions.hex;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;
import org.swarmmq.protocol.ProtocolException;
import org.swarmmq.protocol.codec.PacketArbitraries.Stream;
import org.swarmmq.protocol.packets.ConnAck;
import org.swarmmq.protocol.packets.Connect;
import org.swarmmq.protocol.packets.Packet;
import org.swarmmq.protocol.packets.PacketType;
import org.swarmmq.protocol.packets.ProtocolVersion;

/**
 * Hostile input: valid streams with bytes flipped, cut off, inserted, RemainingLengths rewritten,
 * and plain random bytes. Each frame must decode to a valid packet or fail with
 * ProtocolException, never any other exception; framing must end; and memory must follow the
 * bytes fed, not the sizes they declare.
 */
class CorruptionPropertiesTest {

    enum Kind { FLIP, TRUNCATE, INSERT }

    /** One edit at a relative position {@code where} (0..1) of the stream as it is then. */
    record Mutation(Kind kind, double where, int xor, byte[] inserted) {
        byte[] apply(byte[] in) {
            int at = Math.min((int) (where * in.length), in.length);
            return switch (kind) {
                case FLIP -> {
                    if (in.length == 0) yield in;
                    byte[] out = in.clone();
                    out[Math.min(at, in.length - 1)] ^= (byte) xor;
                    yield out;
                }
                case TRUNCATE -> Arrays.copyOf(in, at);
                case INSERT -> {
                    byte[] out = new byte[in.length + inserted.length];
                    System.arraycopy(in, 0, out, 0, at);
                    System.arraycopy(inserted, 0, out, at, inserted.length);
                    System.arraycopy(in, at, out, at + inserted.length, in.length - at);
                    yield out;
                }
            };
        }

        @Override
        public String toString() {
            return kind + "@" + where + (kind == Kind.FLIP ? " ^" + xor : kind == Kind.INSERT ? " " + hex(inserted) : "");
        }
    }

    /** Replaces the RemainingLength bytes of packet number {@code which * packets} by {@code length}. */
    record LengthRewrite(double which, byte[] length) {
        @Override
        public String toString() {
            return "RemainingLength of packet @" + which + " := " + hex(length);
        }
    }

    @Provide
    Arbitrary<Stream> streams() {
        return PacketArbitraries.streams(5);
    }

    @Provide
    Arbitrary<Mutation> mutations() {
        return Combinators.combine(Arbitraries.of(Kind.values()), Arbitraries.integers().between(0, 1000).map(i -> i / 1000.0),
                        Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.integers().between(0, 7).map(bit -> 1 << bit)),
                                Tuple.of(1, Arbitraries.integers().between(1, 255))),
                        Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(8))
                .as(Mutation::new);
    }

    /** Well-formed lengths, small or huge (up to 256 MiB declared), and arbitrary 1..5 bytes. */
    @Provide
    Arbitrary<LengthRewrite> lengthRewrites() {
        Arbitrary<byte[]> length = Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.integers().between(0, 300).map(CorruptionPropertiesTest::variableByteInteger)),
                Tuple.of(1, Arbitraries.integers().between(0, FrameReader.MAX_REMAINING_LENGTH).map(CorruptionPropertiesTest::variableByteInteger)),
                Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(5)));
        return Combinators.combine(Arbitraries.integers().between(0, 999).map(i -> i / 1000.0), length).as(LengthRewrite::new);
    }

    @Provide
    Arbitrary<Integer> chunkSizes() {
        return Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.integers().between(1, 8)),
                Tuple.of(1, Arbitraries.integers().between(9, 2000)));
    }

    /** The reader's Maximum Packet Size: mostly the protocol's largest, sometimes tight. */
    @Provide
    Arbitrary<Integer> maximumPacketSizes() {
        return Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just(FrameReader.MAX_PACKET_SIZE)),
                Tuple.of(1, Arbitraries.integers().between(2, 200)), Tuple.of(1, Arbitraries.just(1 << 20)));
    }

    @Property(tries = 1000, edgeCases = EdgeCasesMode.NONE)
    @Label("a corrupted stream yields valid packets or ProtocolException, nothing else, in bounded memory")
    void corruptedStreams(@ForAll("streams") Stream stream,
            @ForAll @Size(max = 2) List<@From("lengthRewrites") LengthRewrite> rewrites,
            @ForAll @Size(min = 1, max = 4) List<@From("mutations") Mutation> mutations,
            @ForAll @Size(min = 1, max = 10) List<@From("chunkSizes") Integer> chunks,
            @ForAll("maximumPacketSizes") int maximumPacketSize) {
        List<byte[]> packets = new ArrayList<>();
        for (Packet p : stream.packets()) packets.add(PacketEncoder.encode(p, stream.version()));
        byte[][] lengths = new byte[packets.size()][];
        for (LengthRewrite r : rewrites) lengths[(int) (r.which() * packets.size())] = r.length();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < packets.size(); i++) {
            byte[] p = packets.get(i);
            out.write(p[0]);
            out.writeBytes(lengths[i] != null ? lengths[i] : variableByteInteger(body(p).length));
            out.writeBytes(body(p));
        }
        byte[] input = out.toByteArray();
        for (Mutation m : mutations) input = m.apply(input);
        assertSurvives(input, stream.version(), maximumPacketSize, chunks);
    }

    /**
     * Corrupts the body of one packet and frames it again with its true RemainingLength, so the
     * damage always reaches the packet decoder: fields and Property Lengths that disagree with the
     * RemainingLength, bad values behind intact framing.
     */
    @Property(tries = 1000, edgeCases = EdgeCasesMode.NONE)
    @Label("a packet with a corrupted body but a true RemainingLength decodes or fails with ProtocolException")
    void corruptedBodies(@ForAll("streams") Stream stream, @ForAll @IntRange(min = 0, max = 999) int target,
            @ForAll @Size(min = 1, max = 3) List<@From("mutations") Mutation> mutations,
            @ForAll @Size(min = 1, max = 10) List<@From("chunkSizes") Integer> chunks) {
        int victim = target * stream.packets().size() / 1000;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < stream.packets().size(); i++) {
            byte[] p = PacketEncoder.encode(stream.packets().get(i), stream.version());
            byte[] body = body(p);
            if (i == victim) for (Mutation m : mutations) body = m.apply(body);
            out.write(p[0]);
            out.writeBytes(variableByteInteger(body.length));
            out.writeBytes(body);
        }
        assertSurvives(out.toByteArray(), stream.version(), FrameReader.MAX_PACKET_SIZE, chunks);
    }

    @Property(tries = 2000, edgeCases = EdgeCasesMode.NONE)
    @Label("random bytes after a random packet type yield packets or ProtocolException, nothing else, in bounded memory")
    void randomBytes(@ForAll @IntRange(min = 1, max = 15) int type, @ForAll @IntRange(min = 0, max = 15) int flags,
            @ForAll boolean requiredFlags, @ForAll boolean trueLength,
            @ForAll @Size(max = 300) byte[] rest, @ForAll ProtocolVersion version,
            @ForAll @Size(min = 1, max = 10) List<@From("chunkSizes") Integer> chunks) {
        // Right flags and a RemainingLength that fits carry the random body into the packet
        // decoders; otherwise the random bytes exercise the fixed header and framing.
        PacketType t = PacketType.of(type);
        int firstByte = type << 4 | (requiredFlags && t.requiredFlags() >= 0 ? t.requiredFlags() : flags);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(firstByte);
        if (trueLength) out.writeBytes(variableByteInteger(rest.length));
        out.writeBytes(rest);
        assertSurvives(out.toByteArray(), version, FrameReader.MAX_PACKET_SIZE, chunks);
    }

    // ---- the checks ----

    /**
     * Feeds {@code input} in chunks, decoding every frame; fails on any exception but
     * ProtocolException and on allocation beyond 20 bytes per input byte plus 1 MiB.
     */
    static void assertSurvives(byte[] input, ProtocolVersion version, int maximumPacketSize, List<Integer> chunks) {
        try {
            long allocated = feedAndDecode(input, version, maximumPacketSize, chunks);
            long bound = 20L * input.length + (1 << 20);
            // A first run may pay one-time costs (class loading, string concatenation bootstraps
            // of a new error message); a real over-allocation repeats, so measure again.
            if (allocated > bound) allocated = feedAndDecode(input, version, maximumPacketSize, chunks);
            assertTrue(allocated <= bound, "allocated " + allocated + " bytes for " + input.length + " input bytes");
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\ninput (" + version + ", max " + maximumPacketSize + "): " + hex(input), e);
        } catch (Throwable t) {
            fail(t + " (not a ProtocolException) on input (" + version + ", max " + maximumPacketSize + "): " + hex(input), t);
        }
    }

    /** Returns the bytes allocated by FrameReader and PacketDecoder alone (0 if the JVM cannot count). */
    private static long feedAndDecode(byte[] input, ProtocolVersion version, int maximumPacketSize, List<Integer> chunks) {
        FrameReader reader = new FrameReader(maximumPacketSize);
        long allocated = 0;
        int frames = 0;
        int at = 0;
        for (int i = 0; at < input.length; i++) {
            int n = Math.min(chunks.get(i % chunks.size()), input.length - at);
            long start = allocatedBytes();
            reader.feed(input, at, n);
            allocated += allocatedBytes() - start;
            at += n;
            while (true) {
                start = allocatedBytes();
                Frame frame;
                try {
                    frame = reader.next();
                } catch (ProtocolException e) {
                    allocated += allocatedBytes() - start;
                    Statistics.label("outcome").collect("framing: " + e.reasonCode());
                    return allocated; // framing errors end the stream
                }
                allocated += allocatedBytes() - start;
                if (frame == null) break;
                assertTrue(++frames <= input.length / 2, "more frames than the input can hold");
                start = allocatedBytes();
                Packet p;
                try {
                    p = PacketDecoder.decode(frame, version);
                } catch (ProtocolException e) {
                    p = null; // a connection would close here; go on to test the following frames too
                    Statistics.label("outcome").collect("decoder: " + e.reasonCode());
                }
                allocated += allocatedBytes() - start;
                if (p != null) Statistics.label("outcome").collect("decoded " + p.type());
                if (p != null) assertReEncodes(p, version);
            }
        }
        return allocated;
    }

    /**
     * What the decoder accepts, the encoder must write back, and the result must decode to the
     * same packet. The one normalisation: MQTT 3.1 has no Session Present (its CONNACK first
     * byte is reserved), so the encoder writes 0 there whatever the decoder read.
     */
    private static void assertReEncodes(Packet p, ProtocolVersion version) {
        ProtocolVersion v = p instanceof Connect c ? c.version() : version;
        byte[] again = PacketEncoder.encode(p, v);
        Packet expected = p instanceof ConnAck a && v == ProtocolVersion.V3_1 && a.sessionPresent()
                ? new ConnAck(false, a.reasonCode(), a.properties()) : p;
        assertEquals(expected, RoundTripPropertiesTest.decodeOne(again, v), "re-encoded as " + hex(again));
    }

    private static long allocatedBytes() {
        return AllocationCounter.supported() ? AllocationCounter.allocatedBytes() : 0;
    }

    /** The body of an encoded packet: what follows the RemainingLength (whose bytes have the continuation bit, 1.5.5). */
    private static byte[] body(byte[] packet) {
        int n = 1;
        while ((packet[n] & 0x80) != 0) n++;
        return Arrays.copyOfRange(packet, n + 1, packet.length);
    }

    static byte[] variableByteInteger(int value) {
        byte[] out = new byte[Frame.variableByteIntSize(value)];
        WireWriter.writeVariableByteInteger(out, 0, value);
        return out;
    }
}
