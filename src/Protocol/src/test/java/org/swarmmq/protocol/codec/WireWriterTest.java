package org.swarmmq.protocol.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.swarmmq.protocol.codec.EncoderAssertions.hex;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.swarmmq.protocol.Bytes;
import org.swarmmq.protocol.packets.PacketType;
import org.swarmmq.protocol.packets.Properties;
import org.swarmmq.protocol.packets.PropertyId;
import org.swarmmq.protocol.packets.UserProperty;

/** The data types of section 1.5, one by one. */
class WireWriterTest {

    /** Runs a writer on a fresh array of {@code size} and checks it filled the array exactly. */
    interface Writer {
        int write(byte[] out, int pos);
    }

    static String written(int size, Writer w) {
        byte[] out = new byte[size + 2];
        int end = w.write(out, 1); // at a non-zero position
        assertEquals(1 + size, end, "position after the write");
        assertEquals(0, out[0]);
        assertEquals(0, out[out.length - 1]);
        return hex(Arrays.copyOfRange(out, 1, end));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"0, 00", "1, 01", "127, 7F", "128, 80 01", "321, C1 02", "16383, FF 7F", "16384, 80 80 01",
                "2097151, FF FF 7F", "2097152, 80 80 80 01", "268435455, FF FF FF 7F"})
    @DisplayName("Variable Byte Integer: seven bits a byte, high bit for more, at most four bytes (1.5.5)")
    void variableByteInteger(int value, String hex) {
        int size = WireWriter.variableByteIntegerSize(value);
        assertEquals(hex, written(size, (out, pos) -> WireWriter.writeVariableByteInteger(out, pos, value)));
    }

    @ParameterizedTest
    @ValueSource(ints = {268_435_456, Integer.MAX_VALUE, -1, Integer.MIN_VALUE})
    @DisplayName("Variable Byte Integer beyond 268,435,455 or negative is refused")
    void variableByteIntegerOutOfRange(int value) {
        assertThrows(IllegalArgumentException.class, () -> WireWriter.variableByteIntegerSize(value));
        assertThrows(IllegalArgumentException.class, () -> WireWriter.writeVariableByteInteger(new byte[8], 0, value));
    }

    @Property(tries = 300)
    @Label("Variable Byte Integer: the written bytes read back to the value, in the size promised")
    void variableByteIntegerRoundTrip(@ForAll @IntRange(min = 0, max = 268_435_455) int value) {
        byte[] out = new byte[4];
        int end = WireWriter.writeVariableByteInteger(out, 0, value);
        assertEquals(WireWriter.variableByteIntegerSize(value), end);
        int read = 0;
        for (int i = 0; i < end; i++) {
            read |= (out[i] & 0x7F) << (7 * i);
            assertEquals(i < end - 1, (out[i] & 0x80) != 0, "continuation bit of byte " + i);
        }
        assertEquals(value, read);
    }

    @Test
    @DisplayName("Two and Four Byte Integers are big-endian (1.5.2, 1.5.3)")
    void integers() {
        assertEquals("01 02", written(2, (out, pos) -> WireWriter.writeTwoByteInteger(out, pos, 0x0102)));
        assertEquals("FF FF", written(2, (out, pos) -> WireWriter.writeTwoByteInteger(out, pos, 0xFFFF)));
        assertEquals("0A 0B 0C 0D", written(4, (out, pos) -> WireWriter.writeFourByteInteger(out, pos, 0x0A0B0C0DL)));
        assertEquals("FF FF FF FF", written(4, (out, pos) -> WireWriter.writeFourByteInteger(out, pos, 0xFFFF_FFFFL)));
    }

    @ParameterizedTest(name = "\"{0}\" -> {1}")
    @CsvSource({"'', 00 00", "MQTT, 00 04 4D 51 54 54", "ä, 00 02 C3 A4", "€, 00 03 E2 82 AC", "😀, 00 04 F0 9F 98 80",
                "\uFEFF, 00 03 EF BB BF"})
    @DisplayName("UTF-8 Encoded String: two-byte length then the UTF-8 bytes (1.5.4)")
    void strings(String s, String hex) {
        assertEquals(hex, written(WireWriter.stringSize(s), (out, pos) -> WireWriter.writeString(out, pos, s)));
    }

    @Provide
    Arbitrary<String> wellFormedStrings() {
        // Any code point but U+0000 and the surrogates, so supplementary characters are in.
        Arbitrary<Integer> codePoint = Arbitraries.integers().between(1, 0x10FFFF)
                .filter(cp -> cp < 0xD800 || cp > 0xDFFF)
                .edgeCases(e -> e.add(0x7F).add(0x80).add(0x7FF).add(0x800).add(0xFFFF).add(0x10000));
        return codePoint.list().ofMaxSize(40).map(cps -> {
            StringBuilder sb = new StringBuilder();
            cps.forEach(sb::appendCodePoint);
            return sb.toString();
        });
    }

    @Property(tries = 300)
    @Label("UTF-8 Encoded String: the same bytes and length as the JDK's encoder, without using it")
    void stringsMatchTheJdk(@ForAll("wellFormedStrings") String s) {
        byte[] jdk = s.getBytes(StandardCharsets.UTF_8);
        assertEquals(jdk.length, WireWriter.utf8Length(s));
        byte[] out = new byte[2 + jdk.length];
        assertEquals(out.length, WireWriter.writeString(out, 0, s));
        assertEquals(jdk.length, (out[0] & 0xFF) << 8 | out[1] & 0xFF);
        assertEquals(hex(jdk), hex(Arrays.copyOfRange(out, 2, out.length)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\u0000b", "\uD800", "a\uDC00", "x\uD83D", "\uD83D\uD83D\uDE00x\uDE00"})
    @DisplayName("UTF-8 Encoded String: no U+0000 [MQTT-1.5.4-2], no unpaired surrogates [MQTT-1.5.4-1]")
    void illFormedStrings(String s) {
        assertThrows(IllegalArgumentException.class, () -> WireWriter.stringSize(s));
    }

    @Test
    @DisplayName("UTF-8 Encoded String: at most 65,535 bytes, counted in bytes not chars (1.5.4)")
    void stringLengthLimit() {
        assertEquals(2 + 65_535, WireWriter.stringSize("a".repeat(65_535)));
        assertThrows(IllegalArgumentException.class, () -> WireWriter.stringSize("a".repeat(65_536)));
        assertEquals(65_535, WireWriter.utf8Length("€".repeat(21_845)));
        assertThrows(IllegalArgumentException.class, () -> WireWriter.utf8Length("€".repeat(21_846))); // 21,846 chars
    }

    @Test
    @DisplayName("Binary Data: two-byte length then the bytes of the slice; at most 65,535 (1.5.6)")
    void binaryData() {
        Bytes slice = Bytes.wrap(new byte[] {9, 8, 7, 6, 5}, 1, 3);
        assertEquals("00 03 08 07 06", written(WireWriter.binarySize(slice), (out, pos) -> WireWriter.writeBinary(out, pos, slice)));
        assertEquals("00 00", written(WireWriter.binarySize(Bytes.EMPTY), (out, pos) -> WireWriter.writeBinary(out, pos, Bytes.EMPTY)));
        assertEquals(2 + 65_535, WireWriter.binarySize(Bytes.wrap(new byte[65_535])));
        assertThrows(IllegalArgumentException.class, () -> WireWriter.binarySize(Bytes.wrap(new byte[65_536])));
    }

    @Test
    @DisplayName("UTF-8 String Pair: name then value, each a UTF-8 Encoded String (1.5.7)")
    void stringPair() {
        UserProperty pair = new UserProperty("n", "vé");
        assertEquals("00 01 6E 00 03 76 C3 A9",
                written(WireWriter.stringPairSize(pair), (out, pos) -> WireWriter.writeStringPair(out, pos, pair)));
    }

    @Test
    @DisplayName("Properties: Variable Byte Integer length, then each property in list order (2.2.2)")
    void properties() {
        Properties props = Properties.of(List.of(
                new org.swarmmq.protocol.packets.Property(PropertyId.USER_PROPERTY, new UserProperty("b", "2")),
                new org.swarmmq.protocol.packets.Property(PropertyId.REASON_STRING, "r"),
                new org.swarmmq.protocol.packets.Property(PropertyId.USER_PROPERTY, new UserProperty("a", "1"))));
        int length = WireWriter.propertiesLength(props, PacketType.PUBACK, false);
        assertEquals(7 + 4 + 7, length);
        assertEquals("12 26 00 01 62 00 01 32 1F 00 01 72 26 00 01 61 00 01 31",
                written(WireWriter.propertiesSize(props, PacketType.PUBACK, false),
                        (out, pos) -> WireWriter.writeProperties(out, pos, props, length)));
        assertEquals("00", written(WireWriter.propertiesSize(Properties.EMPTY, PacketType.PUBACK, false),
                (out, pos) -> WireWriter.writeProperties(out, pos, Properties.EMPTY, 0)));
    }

    @Test
    @DisplayName("Properties: a length of 128 or more takes a two-byte Property Length")
    void longPropertyBlock() {
        Properties props = Properties.of(new org.swarmmq.protocol.packets.Property(PropertyId.REASON_STRING, "x".repeat(200)));
        assertEquals(1 + 2 + 200, WireWriter.propertiesLength(props, PacketType.DISCONNECT, false));
        assertEquals(2 + 203, WireWriter.propertiesSize(props, PacketType.DISCONNECT, false));
        assertEquals("CB 01 1F 00 C8 78", written(205, (out, pos) -> WireWriter.writeProperties(out, pos, props, 203))
                .substring(0, 17));
    }

    @Test
    @DisplayName("Will Properties: only the properties a Will may carry (3.1.3.2)")
    void willProperties() {
        Properties will = Properties.of(new org.swarmmq.protocol.packets.Property(PropertyId.WILL_DELAY_INTERVAL, 5L));
        assertEquals(5, WireWriter.propertiesLength(will, PacketType.CONNECT, true));
        // Will Delay Interval stands in no packet's own properties
        assertThrows(IllegalArgumentException.class, () -> WireWriter.propertiesLength(will, PacketType.CONNECT, false));
    }
}
