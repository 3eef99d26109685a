package org.swarmmq.protocol.codec;

import org.swarmmq.protocol.Bytes;
import org.swarmmq.protocol.ProtocolException;
import org.swarmmq.protocol.packets.UserProperty;

/**
 * Reads the data types of section 1.5 from a window {@code [position, limit)} of a frame body.
 * A field that runs past the limit means the RemainingLength (or a Property Length) disagrees
 * with the content: that is a Malformed Packet, never an IndexOutOfBoundsException. Binary
 * fields are slices of the body, not copies.
 */
final class WireReader {
    private final byte[] buf;
    private final int limit;
    private int pos;

    WireReader(byte[] buf, int position, int limit) {
        this.buf = buf;
        this.pos = position;
        this.limit = limit;
    }

    WireReader(byte[] body) {
        this(body, 0, body.length);
    }

    boolean hasRemaining() {
        return pos < limit;
    }

    /*
     * Field names are only for error messages, so they are passed in parts (a field, and what
     * part of it) and joined only when a rule is broken: joining them for every packet was a
     * quarter of a small PUBLISH's decode garbage (docs/benchmarks.md).
     */

    private void need(int n, String field, String part, String sub) {
        if (n > limit - pos) {
            throw ProtocolException.malformed(field + part + sub + " runs past the end of the packet (needs " + n
                    + " bytes, " + (limit - pos) + " left): the RemainingLength disagrees with the content");
        }
    }

    int readByte(String field) {
        return readByte(field, "", "");
    }

    int readByte(String field, String part) {
        return readByte(field, part, "");
    }

    private int readByte(String field, String part, String sub) {
        need(1, field, part, sub);
        return buf[pos++] & 0xFF;
    }

    /** Section 1.5.2: big-endian unsigned 16 bits. */
    int readTwoByteInt(String field) {
        return readTwoByteInt(field, "", "");
    }

    int readTwoByteInt(String field, String part) {
        return readTwoByteInt(field, part, "");
    }

    private int readTwoByteInt(String field, String part, String sub) {
        need(2, field, part, sub);
        int v = (buf[pos] & 0xFF) << 8 | buf[pos + 1] & 0xFF;
        pos += 2;
        return v;
    }

    /** Section 1.5.3: big-endian unsigned 32 bits, hence a long. */
    long readFourByteInt(String field, String part) {
        need(4, field, part, "");
        long v = (buf[pos] & 0xFFL) << 24 | (buf[pos + 1] & 0xFF) << 16 | (buf[pos + 2] & 0xFF) << 8 | buf[pos + 3] & 0xFF;
        pos += 4;
        return v;
    }

    /** Section 1.5.5: at most four bytes, 7 bits each, least significant group first. */
    int readVariableByteInt(String field, String part) {
        int value = 0;
        for (int i = 0; i < 4; i++) {
            int b = readByte(field, part, "");
            value |= (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) return value;
        }
        throw ProtocolException.malformed("[MQTT-1.5.5-1] " + field + part + ": a Variable Byte Integer has at most 4 bytes");
    }

    /** Section 1.5.4: a Two Byte Integer length, then that many bytes of well-formed UTF-8. */
    String readUtf8(String field) {
        return readUtf8(field, "", "", " length");
    }

    String readUtf8(String field, String part) {
        return readUtf8(field, part, "", " length");
    }

    /** {@code lengthSub}: how the length field is named, a constant like {@code sub + " length"}. */
    private String readUtf8(String field, String part, String sub, String lengthSub) {
        int len = readTwoByteInt(field, part, lengthSub);
        need(len, field, part, sub);
        int start = pos;
        pos += len;
        return Utf8.decode(buf, start, len, field, part, sub);
    }

    /** Section 1.5.6: a Two Byte Integer length, then that many bytes, as a slice of the body. */
    Bytes readBinary(String field) {
        return readBinary(field, "");
    }

    Bytes readBinary(String field, String part) {
        int len = readTwoByteInt(field, part, " length");
        return readSlice(len, field, part);
    }

    /** Section 1.5.7: two UTF-8 strings [MQTT-1.5.7-1]. */
    UserProperty readStringPair(String field, String part) {
        String name = readUtf8(field, part, " name", " name length");
        String value = readUtf8(field, part, " value", " value length");
        return new UserProperty(name, value);
    }

    /** Everything up to the limit, as a slice (a PUBLISH payload, a Will payload is binary). */
    Bytes readRest() {
        return readSlice(limit - pos, "rest", "");
    }

    private Bytes readSlice(int len, String field, String part) {
        need(len, field, part, "");
        Bytes b = Bytes.wrap(buf, pos, len);
        pos += len;
        return b;
    }

    /** A reader over the next {@code length} bytes; this reader skips them. */
    WireReader split(int length, String field) {
        need(length, field, "", "");
        WireReader sub = new WireReader(buf, pos, pos + length);
        pos += length;
        return sub;
    }

    /** Bytes left over after the last field mean the RemainingLength is wrong. */
    void expectEnd(String what) {
        if (pos != limit) {
            throw ProtocolException.malformed(what + ": " + (limit - pos)
                    + " bytes left over after the last field: the RemainingLength disagrees with the content");
        }
    }
}
