package org.swarmmq.protocol.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.swarmmq.protocol.packets.Packet;
import org.swarmmq.protocol.packets.ProtocolVersion;

/** Hex helpers and the one check every golden packet goes through. */
final class EncoderAssertions {
    private EncoderAssertions() {}

    /** "32 0A 00 03": upper case, one space between bytes. */
    static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length * 3);
        for (byte b : bytes) {
            if (sb.length() > 0) sb.append(' ');
            sb.append(String.format("%02X", b & 0xFF));
        }
        return sb.toString();
    }

    /** Hex text in any spacing or case, as written in the tests, to bytes. */
    static byte[] bytes(String hex) {
        String digits = hex.replaceAll("\\s+", "");
        byte[] out = new byte[digits.length() / 2];
        for (int i = 0; i < out.length; i++) out[i] = (byte) Integer.parseInt(digits.substring(2 * i, 2 * i + 2), 16);
        return out;
    }

    /** The hex of an ASCII string, to spell payloads like "paho872285521941" in expectations. */
    static String ascii(String s) {
        return hex(s.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    /**
     * Encodes {@code p} every way there is and checks each against {@code expectedHex}: the array,
     * encodedSize, and a ByteBuffer at a non-zero position whose neighbouring bytes stay untouched.
     */
    static byte[] assertEncodes(String expectedHex, Packet p, ProtocolVersion v) {
        byte[] expected = bytes(expectedHex);
        byte[] actual = PacketEncoder.encode(p, v);
        assertEquals(hex(expected), hex(actual), () -> p + " in " + v);
        assertEquals(actual.length, PacketEncoder.encodedSize(p, v), "encodedSize of " + p);

        byte[] backing = new byte[actual.length + 12];
        Arrays.fill(backing, (byte) 0x55);
        ByteBuffer buffer = ByteBuffer.wrap(backing);
        buffer.position(7);
        PacketEncoder.encode(p, v, buffer);
        assertEquals(7 + actual.length, buffer.position(), "position after encode");
        assertArrayEquals(expected, Arrays.copyOfRange(backing, 7, 7 + actual.length));
        for (int i = 0; i < 7; i++) assertEquals((byte) 0x55, backing[i], "byte before the packet");
        for (int i = 7 + actual.length; i < backing.length; i++) assertEquals((byte) 0x55, backing[i], "byte after the packet");
        return actual;
    }
}
