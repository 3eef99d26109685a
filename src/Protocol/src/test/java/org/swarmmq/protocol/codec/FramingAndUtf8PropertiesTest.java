package org.swarmmq.protocol.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Generated inputs: framing is independent of how the stream is cut; our UTF-8 rules match the JDK's. */
class FramingAndUtf8PropertiesTest {

    @Provide
    Arbitrary<Frame> frames() {
        Arbitrary<Integer> firstByte = Arbitraries.integers().between(0x10, 0xFF);
        Arbitrary<byte[]> body = Arbitraries.bytes().array(byte[].class).ofMaxSize(3_000);
        return Combinators.combine(firstByte, body).as(Frame::new);
    }

    /** The wire form, written here by hand (RemainingLength as in 1.5.5) so the test needs no encoder. */
    private static byte[] wire(List<Frame> frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Frame f : frames) {
            out.write(f.firstByte());
            int x = f.remainingLength();
            do {
                int b = x % 128;
                x /= 128;
                out.write(x > 0 ? b | 0x80 : b);
            } while (x > 0);
            out.writeBytes(f.body());
        }
        return out.toByteArray();
    }

    @Property(tries = 200)
    void anyCuttingOfTheStreamYieldsTheSameFrames(@ForAll @Size(max = 8) List<@From("frames") Frame> frames,
            @ForAll @Size(min = 1, max = 30) List<@IntRange(min = 1, max = 5000) Integer> chunkSizes) {
        byte[] stream = wire(frames);
        FrameReader reader = new FrameReader(FrameReader.MAX_PACKET_SIZE);
        List<Frame> seen = new ArrayList<>();
        int at = 0;
        for (int i = 0; at < stream.length; i++) {
            int n = Math.min(chunkSizes.get(i % chunkSizes.size()), stream.length - at);
            if (i % 2 == 0) reader.feed(stream, at, n);
            else reader.feed(ByteBuffer.wrap(stream, at, n));
            at += n;
            for (Frame f; (f = reader.next()) != null; ) seen.add(f);
        }
        assertEquals(frames, seen);
        assertFalse(reader.hasPartialFrame());
        for (int i = 0; i < frames.size(); i++) assertEquals(wire(List.of(frames.get(i))).length, seen.get(i).wireSize());
    }

    @Provide
    Arbitrary<byte[]> utf8ish() {
        // Mostly bytes around the interesting lead and continuation ranges, so that valid
        // multi-byte sequences and every kind of invalid one both turn up often.
        Arbitrary<Byte> b = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.bytes().between((byte) 0x80, (byte) 0xBF)),
                Tuple.of(2, Arbitraries.bytes().between((byte) 0xC0, (byte) 0xFF)),
                Tuple.of(2, Arbitraries.bytes().between((byte) 0x00, (byte) 0x7F)));
        return b.array(byte[].class).ofMaxSize(12);
    }

    @Property(tries = 5000)
    void utf8RulesAgreeWithTheJdksStrictDecoder(@ForAll("utf8ish") byte[] bytes) {
        boolean jdkAccepts;
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            jdkAccepts = true;
        } catch (CharacterCodingException e) {
            jdkAccepts = false;
        }
        boolean hasNul = false;
        for (byte x : bytes) hasNul |= x == 0;
        boolean expected = jdkAccepts && !hasNul; // [MQTT-1.5.4-1] well-formed, [MQTT-1.5.4-2] no U+0000
        assertEquals(expected, Utf8.firstViolation(bytes, 0, bytes.length) < 0, () -> hexOf(bytes));
    }

    private static String hexOf(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (byte x : bytes) sb.append(String.format("%02X ", x));
        return sb.toString();
    }
}
