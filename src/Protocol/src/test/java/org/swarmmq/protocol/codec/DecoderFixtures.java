package org.swarmmq.protocol.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.function.Executable;
import org.swarmmq.protocol.ProtocolException;
import org.swarmmq.protocol.packets.Packet;
import org.swarmmq.protocol.packets.ProtocolVersion;
import org.swarmmq.protocol.packets.ReasonCode;

/** Hand-written wire bytes for the decoder tests, and the frame-then-decode path they take. */
final class DecoderFixtures {
    private DecoderFixtures() {}

    /** "32 0A 00 03" -> bytes; spaces, newlines and '|' separators are ignored. */
    static byte[] hex(String s) {
        String digits = s.replaceAll("[\\s|]", "");
        if (digits.length() % 2 != 0) throw new IllegalArgumentException("odd hex: " + s);
        byte[] out = new byte[digits.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(digits.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }

    /** The hex of a string's UTF-8 bytes, to write text fields readably. */
    static String ascii(String s) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) sb.append(String.format("%02X ", b));
        return sb.toString();
    }

    /** Frames the bytes (which must hold exactly one packet) and returns the frame. */
    static Frame frame(String hexBytes) {
        FrameReader reader = new FrameReader(FrameReader.MAX_PACKET_SIZE);
        reader.feed(hex(hexBytes));
        Frame f = reader.next();
        assertNotNull(f, "incomplete packet: " + hexBytes);
        assertNull(reader.next(), "more than one packet: " + hexBytes);
        assertFalse(reader.hasPartialFrame(), "trailing bytes: " + hexBytes);
        return f;
    }

    static Packet decode(String hexBytes, ProtocolVersion version) {
        return PacketDecoder.decode(frame(hexBytes), version);
    }

    /**
     * Decoding fails with {@code expected}, and for the intended reason: the message (which names
     * the rule) contains {@code because}. Without that a packet built wrong could be rejected by
     * some other check and the test would pass with its own rule unchecked.
     */
    static void assertRejected(ReasonCode expected, String because, String hexBytes, ProtocolVersion version) {
        ProtocolException e = assertRejected(expected, () -> decode(hexBytes, version));
        assertTrue(e.getMessage().contains(because), "rejected for another reason: " + e.getMessage());
    }

    static ProtocolException assertRejected(ReasonCode expected, Executable action) {
        ProtocolException e = assertThrows(ProtocolException.class, action);
        assertEquals(expected, e.reasonCode(), e.getMessage());
        return e;
    }
}
