package org.swarmmq.protocol.codec;

import java.util.List;
import org.swarmmq.protocol.Bytes;
import org.swarmmq.protocol.packets.PacketType;
import org.swarmmq.protocol.packets.Properties;
import org.swarmmq.protocol.packets.Property;
import org.swarmmq.protocol.packets.PropertyId;
import org.swarmmq.protocol.packets.UserProperty;

/**
 * The data types of MQTT section 1.5 (3.1.1: 1.5 and 2.2.3), as size functions and writers.
 *
 * <p>Writers put bytes into a {@code byte[]} at a position and return the position after what they
 * wrote; they neither allocate nor grow anything, so the caller sizes the output first with the
 * matching {@code ...Size} function. The size functions are also where values that cannot be put
 * on the wire are refused, with IllegalArgumentException: the encoder is only ever handed packets
 * the broker built itself, so such a value is a programming error, not bad input.
 */
final class WireWriter {
    /** The largest Variable Byte Integer: four bytes of seven bits (1.5.5). */
    static final int MAX_VARIABLE_BYTE_INTEGER = 268_435_455;
    /** UTF-8 strings and binary data carry a two-byte length (1.5.4, 1.5.6). */
    static final int MAX_TWO_BYTE_LENGTH = 0xFFFF;

    private WireWriter() {}

    // ---- Variable Byte Integer (1.5.5; 3.1.1: 2.2.3) ----

    static int variableByteIntegerSize(int value) {
        checkVariableByteInteger(value);
        return value < 0x80 ? 1 : value < 0x4000 ? 2 : value < 0x20_0000 ? 3 : 4;
    }

    static int writeVariableByteInteger(byte[] out, int pos, int value) {
        checkVariableByteInteger(value);
        do {
            int digit = value & 0x7F;
            value >>>= 7;
            out[pos++] = (byte) (value > 0 ? digit | 0x80 : digit); // high bit: more bytes follow
        } while (value > 0);
        return pos;
    }

    private static void checkVariableByteInteger(int value) {
        if (value < 0 || value > MAX_VARIABLE_BYTE_INTEGER) {
            throw new IllegalArgumentException("Variable Byte Integer " + value + " is outside 0.." + MAX_VARIABLE_BYTE_INTEGER);
        }
    }

    // ---- Two and Four Byte Integers, big-endian (1.5.2, 1.5.3) ----

    static int writeTwoByteInteger(byte[] out, int pos, int value) {
        out[pos] = (byte) (value >>> 8);
        out[pos + 1] = (byte) value;
        return pos + 2;
    }

    static int writeFourByteInteger(byte[] out, int pos, long value) {
        out[pos] = (byte) (value >>> 24);
        out[pos + 1] = (byte) (value >>> 16);
        out[pos + 2] = (byte) (value >>> 8);
        out[pos + 3] = (byte) value;
        return pos + 4;
    }

    // ---- UTF-8 Encoded String (1.5.4; 3.1.1: 1.5.3) ----

    /**
     * The UTF-8 length of {@code s}, counted from its chars without encoding it: the hot path
     * (a PUBLISH topic) must not allocate. Refuses what a well-formed MQTT string cannot hold.
     */
    static int utf8Length(String s) {
        int chars = s.length();
        int bytes = chars; // one byte per char, plus the extra bytes counted below
        for (int i = 0; i < chars; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                // [MQTT-1.5.4-2] (3.1.1: [MQTT-1.5.3-2]) no U+0000
                if (c == 0) throw new IllegalArgumentException("U+0000 in a UTF-8 Encoded String [MQTT-1.5.4-2]");
            } else if (c < 0x800) {
                bytes += 1;
            } else if (!Character.isSurrogate(c)) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < chars && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 2; // two chars, four bytes
                i++;
            } else {
                // [MQTT-1.5.4-1] (3.1.1: [MQTT-1.5.3-1]) no code points U+D800..U+DFFF
                throw new IllegalArgumentException("unpaired surrogate at index " + i + " of a UTF-8 Encoded String [MQTT-1.5.4-1]");
            }
        }
        if (bytes > MAX_TWO_BYTE_LENGTH) {
            throw new IllegalArgumentException("UTF-8 Encoded String of " + bytes + " bytes is longer than 65535");
        }
        return bytes;
    }

    /** The wire size of a UTF-8 Encoded String: two-byte length and the bytes. */
    static int stringSize(String s) {
        return 2 + utf8Length(s);
    }

    /**
     * Writes the chars of {@code s} as UTF-8 straight into {@code out}, then the length in front of
     * them: one pass, no intermediate byte array. {@code s} must have passed {@link #stringSize}.
     */
    static int writeString(byte[] out, int pos, String s) {
        int start = pos;
        pos += 2;
        int chars = s.length();
        for (int i = 0; i < chars; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                out[pos++] = (byte) c;
            } else if (c < 0x800) {
                out[pos++] = (byte) (0xC0 | c >> 6);
                out[pos++] = (byte) (0x80 | c & 0x3F);
            } else if (Character.isHighSurrogate(c) && i + 1 < chars && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                out[pos++] = (byte) (0xF0 | cp >> 18);
                out[pos++] = (byte) (0x80 | cp >> 12 & 0x3F);
                out[pos++] = (byte) (0x80 | cp >> 6 & 0x3F);
                out[pos++] = (byte) (0x80 | cp & 0x3F);
            } else {
                out[pos++] = (byte) (0xE0 | c >> 12);
                out[pos++] = (byte) (0x80 | c >> 6 & 0x3F);
                out[pos++] = (byte) (0x80 | c & 0x3F);
            }
        }
        writeTwoByteInteger(out, start, pos - start - 2);
        return pos;
    }

    // ---- Binary Data (1.5.6) and UTF-8 String Pair (1.5.7) ----

    static int binarySize(Bytes b) {
        if (b.length() > MAX_TWO_BYTE_LENGTH) {
            throw new IllegalArgumentException("Binary Data of " + b.length() + " bytes is longer than 65535");
        }
        return 2 + b.length();
    }

    static int writeBinary(byte[] out, int pos, Bytes b) {
        pos = writeTwoByteInteger(out, pos, b.length());
        b.writeTo(out, pos);
        return pos + b.length();
    }

    static int stringPairSize(UserProperty pair) {
        return stringSize(pair.name()) + stringSize(pair.value());
    }

    static int writeStringPair(byte[] out, int pos, UserProperty pair) {
        return writeString(out, writeString(out, pos, pair.name()), pair.value());
    }

    // ---- Properties (2.2.2) ----

    /**
     * The length of the properties of {@code packet} without their own length prefix, checking
     * each may stand there (2.2.2.2: an identifier not valid for the packet makes it malformed) and
     * that only repeatable ones repeat. {@code inWill} selects the Will Properties of a CONNECT.
     */
    static int propertiesLength(Properties properties, PacketType packet, boolean inWill) {
        if (properties.isEmpty()) return 0;
        List<Property> list = properties.asList();
        long seen = 0; // one bit per identifier; identifiers are below 64
        int length = 0;
        for (int i = 0, n = list.size(); i < n; i++) { // indexed: no Iterator on the hot path
            Property p = list.get(i);
            PropertyId id = p.id();
            if (inWill ? !id.inWill() : !id.allowedIn(packet)) {
                throw new IllegalArgumentException(id + " is not allowed in " + (inWill ? "Will Properties" : packet) + " (2.2.2.2)");
            }
            long bit = 1L << id.id();
            // Subscription Identifier repeats only in PUBLISH [MQTT-3.3.4-4]; SUBSCRIBE carries one (3.8.2.1.2)
            boolean repeatable = id.repeatable() && (id != PropertyId.SUBSCRIPTION_IDENTIFIER || packet == PacketType.PUBLISH);
            if ((seen & bit) != 0 && !repeatable) {
                throw new IllegalArgumentException(id + " appears more than once in " + packet + " (Protocol Error, 2.2.2.2)");
            }
            seen |= bit;
            checkValue(p);
            length += propertySize(p);
        }
        // 3.1.2.11.10: "It is a Protocol Error to include Authentication Data if there is no Authentication Method"
        if (packet == PacketType.CONNECT && !inWill && (seen & 1L << PropertyId.AUTHENTICATION_DATA.id()) != 0
                && (seen & 1L << PropertyId.AUTHENTICATION_METHOD.id()) == 0) {
            throw new IllegalArgumentException("Authentication Data without Authentication Method in CONNECT (3.1.2.11.10)");
        }
        return length;
    }

    /**
     * The value rules of each property's own section. A {@link Property} holds any value of its
     * data type, but the receiver treats these as a Protocol Error ({@code PropertiesReader}
     * checks the same list), so they are refused before anything is written.
     */
    static void checkValue(Property p) {
        PropertyId id = p.id();
        switch (id) {
            case PAYLOAD_FORMAT_INDICATOR, REQUEST_PROBLEM_INFORMATION, REQUEST_RESPONSE_INFORMATION, MAXIMUM_QOS,
                    RETAIN_AVAILABLE, WILDCARD_SUBSCRIPTION_AVAILABLE, SUBSCRIPTION_IDENTIFIER_AVAILABLE,
                    SHARED_SUBSCRIPTION_AVAILABLE -> {
                if ((Integer) p.value() > 1) {
                    throw new IllegalArgumentException(id + " must be 0 or 1, got " + p.value() + " (Protocol Error, 2.2.2.2)");
                }
            }
            // 3.1.2.11.3, 3.1.2.11.4, 3.2.2.3.3, 3.2.2.3.6, 3.3.2.3.4, 3.3.2.3.8, 3.8.2.1.2
            case RECEIVE_MAXIMUM, MAXIMUM_PACKET_SIZE, SUBSCRIPTION_IDENTIFIER, TOPIC_ALIAS -> {
                if (((Number) p.value()).longValue() == 0) {
                    throw new IllegalArgumentException(id + " must not be 0 (Protocol Error)");
                }
            }
            case RESPONSE_TOPIC -> checkTopicName((String) p.value(), "Response Topic"); // [MQTT-3.3.2-14]
            default -> { }
        }
    }

    /**
     * A Topic Name (PUBLISH, Will Topic, Response Topic) is at least one character [MQTT-4.7.3-1]
     * and holds no wildcard [MQTT-3.3.2-2]; receivers reject anything else. Two indexOf scans:
     * cheap next to the copy of the payload.
     */
    static void checkTopicName(String topic, String field) {
        if (topic.isEmpty()) throw new IllegalArgumentException(field + " must be at least one character [MQTT-4.7.3-1]");
        if (topic.indexOf('+') >= 0 || topic.indexOf('#') >= 0) {
            throw new IllegalArgumentException(field + " must not contain '+' or '#' [MQTT-3.3.2-2]: " + topic);
        }
    }

    /** The wire size of a properties block: Property Length and the properties. */
    static int propertiesSize(Properties properties, PacketType packet, boolean inWill) {
        int length = propertiesLength(properties, packet, inWill);
        return variableByteIntegerSize(length) + length;
    }

    /** Writes Property Length then the properties in list order; {@code length} from {@link #propertiesLength}. */
    static int writeProperties(byte[] out, int pos, Properties properties, int length) {
        pos = writeVariableByteInteger(out, pos, length);
        List<Property> list = properties.asList();
        for (int i = 0, n = list.size(); i < n; i++) pos = writeProperty(out, pos, list.get(i));
        return pos;
    }

    /** One property: its identifier (a Variable Byte Integer, one byte as all are below 128) and value. */
    static int propertySize(Property p) {
        Object v = p.value();
        return 1 + switch (p.id().type()) {
            case BYTE -> 1;
            case TWO_BYTE_INTEGER -> 2;
            case FOUR_BYTE_INTEGER -> 4;
            case VARIABLE_BYTE_INTEGER -> variableByteIntegerSize((Integer) v);
            case UTF8_STRING -> stringSize((String) v);
            case UTF8_STRING_PAIR -> stringPairSize((UserProperty) v);
            case BINARY_DATA -> binarySize((Bytes) v);
        };
    }

    static int writeProperty(byte[] out, int pos, Property p) {
        Object v = p.value();
        out[pos++] = (byte) p.id().id();
        return switch (p.id().type()) {
            case BYTE -> {
                out[pos] = (byte) (int) (Integer) v;
                yield pos + 1;
            }
            case TWO_BYTE_INTEGER -> writeTwoByteInteger(out, pos, (Integer) v);
            case FOUR_BYTE_INTEGER -> writeFourByteInteger(out, pos, (Long) v);
            case VARIABLE_BYTE_INTEGER -> writeVariableByteInteger(out, pos, (Integer) v);
            case UTF8_STRING -> writeString(out, pos, (String) v);
            case UTF8_STRING_PAIR -> writeStringPair(out, pos, (UserProperty) v);
            case BINARY_DATA -> writeBinary(out, pos, (Bytes) v);
        };
    }
}
