package org.swarmmq.protocol.codec;

import java.nio.charset.StandardCharsets;
import org.swarmmq.protocol.ProtocolException;

/**
 * The UTF-8 Encoded String rules: well-formed UTF-8 as RFC 3629 restates it (no overlong forms,
 * nothing above U+10FFFF), no encoded surrogates U+D800..U+DFFF [MQTT-1.5.3-1] / [MQTT-1.5.4-1],
 * and no U+0000 [MQTT-1.5.3-2] / [MQTT-1.5.4-2]. Any breach is a Malformed Packet. Our own
 * validator rather than a CharsetDecoder: one pass, no allocation, and the message says which
 * rule broke. Once validated, the JDK's decoder produces exactly the intended string.
 */
final class Utf8 {
    private Utf8() {}

    /** The string of {@code len} bytes at {@code off}; the field's name comes in parts, joined only for an error. */
    static String decode(byte[] b, int off, int len, String field, String part, String sub) {
        int bad = firstViolation(b, off, len);
        if (bad >= 0) {
            throw ProtocolException.malformed(describe(b, off, len, bad) + " in " + field + part + sub);
        }
        return new String(b, off, len, StandardCharsets.UTF_8);
    }

    /** The index of the first byte that breaks a rule, or -1 when the string is acceptable. */
    static int firstViolation(byte[] b, int off, int len) {
        int i = off;
        int end = off + len;
        while (i < end) {
            int c = b[i] & 0xFF;
            if (c >= 0x01 && c < 0x80) { // ASCII fast path
                i++;
                continue;
            }
            if (c == 0) return i;
            int need;
            int min;
            if (c >= 0xC2 && c <= 0xDF) {
                need = 1;
                min = 0x80;
            } else if (c >= 0xE0 && c <= 0xEF) {
                need = 2;
                min = 0x800;
            } else if (c >= 0xF0 && c <= 0xF4) {
                need = 3;
                min = 0x10000;
            } else {
                return i; // continuation byte first, C0/C1 (always overlong) or F5..FF
            }
            if (i + need >= end) return i; // truncated sequence
            int cp = c & (0x3F >> need);
            for (int k = 1; k <= need; k++) {
                int cc = b[i + k] & 0xFF;
                if ((cc & 0xC0) != 0x80) return i;
                cp = cp << 6 | cc & 0x3F;
            }
            if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
            i += need + 1;
        }
        return -1;
    }

    private static String describe(byte[] b, int off, int len, int at) {
        int c = b[at] & 0xFF;
        String where = "at byte " + (at - off) + " of " + len;
        if (c == 0) return "[MQTT-1.5.4-2] (3.1.1: [MQTT-1.5.3-2]) U+0000 " + where;
        if (c == 0xED && at + 1 < off + len && (b[at + 1] & 0xE0) == 0xA0) {
            return "[MQTT-1.5.4-1] (3.1.1: [MQTT-1.5.3-1]) encoded surrogate " + where;
        }
        return "[MQTT-1.5.4-1] (3.1.1: [MQTT-1.5.3-1]) ill-formed UTF-8 " + where;
    }
}
