package org.swarmmq.protocol.codec;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.swarmmq.protocol.ProtocolException;
import org.swarmmq.protocol.packets.PacketType;
import org.swarmmq.protocol.packets.Properties;
import org.swarmmq.protocol.packets.Property;
import org.swarmmq.protocol.packets.PropertyId;
import org.swarmmq.protocol.packets.ProtocolVersion;
import org.swarmmq.protocol.packets.ReasonCode;

/**
 * Reads an MQTT 5 property list (section 2.2.2): a Property Length, then identifier/value pairs
 * that must fit exactly in that length. Which failure is which, by the spec's own words:
 * <ul>
 *   <li>an unknown identifier, or one "not valid for its packet type", or a value not of the
 *       specified data type: Malformed Packet (2.2.2.2);</li>
 *   <li>a property present more than once where it may appear once, or a value the property's
 *       section forbids (Receive Maximum 0, a Byte that must be 0 or 1, ...): Protocol Error.</li>
 * </ul>
 */
final class PropertiesReader {
    private PropertiesReader() {}

    /** The properties of the Variable Header of {@code packet}. */
    static Properties read(WireReader r, PacketType packet) {
        return read(r, packet, false);
    }

    /** The Will Properties in a CONNECT payload (3.1.3.2): only properties with {@code inWill()}. */
    static Properties readWill(WireReader r) {
        return read(r, PacketType.CONNECT, true);
    }

    /** Where a property list is, for error messages: "PUBLISH properties", ..., by packet type. */
    private static final String[] WHERE = new String[PacketType.values().length];
    /** " " + the property's name, for error messages, by PropertyId ordinal. */
    private static final String[] NAMED = new String[PropertyId.values().length];
    private static final String WILL = "Will Properties";

    static {
        for (PacketType t : PacketType.values()) WHERE[t.ordinal()] = t + " properties";
        for (PropertyId id : PropertyId.values()) NAMED[id.ordinal()] = " " + id;
    }

    private static Properties read(WireReader r, PacketType packet, boolean will) {
        String where = will ? WILL : WHERE[packet.ordinal()];
        int length = r.readVariableByteInt(where, " Property Length");
        if (length == 0) return Properties.EMPTY;
        // Properties running past the Property Length then fail inside `in` as Malformed.
        WireReader in = r.split(length, where);
        List<Property> list = new ArrayList<>();
        EnumSet<PropertyId> seen = EnumSet.noneOf(PropertyId.class);
        while (in.hasRemaining()) {
            int rawId = in.readVariableByteInt(where, " Property Identifier");
            PropertyId id = PropertyId.of(rawId);
            if (id == null) {
                throw ProtocolException.malformed(String.format("2.2.2.2 unknown Property Identifier 0x%02X in %s", rawId, where));
            }
            if (will ? !id.inWill() : !id.allowedIn(packet)) {
                throw ProtocolException.malformed("2.2.2.2 " + id + " is not valid in " + where);
            }
            boolean repeatable = id == PropertyId.USER_PROPERTY
                    || (id == PropertyId.SUBSCRIPTION_IDENTIFIER && packet == PacketType.PUBLISH && !will);
            if (!seen.add(id) && !repeatable) {
                throw ProtocolException.protocolError("It is a Protocol Error to include " + id
                        + " more than once (" + where + ")");
            }
            Object value = readValue(in, id, where);
            check(id, value, where);
            list.add(new Property(id, value));
        }
        // 3.1.2.11.10: "It is a Protocol Error to include Authentication Data if there is no Authentication Method"
        if (packet == PacketType.CONNECT && !will && seen.contains(PropertyId.AUTHENTICATION_DATA)
                && !seen.contains(PropertyId.AUTHENTICATION_METHOD)) {
            throw ProtocolException.protocolError("3.1.2.11.10 Authentication Data without Authentication Method");
        }
        return Properties.of(list);
    }

    private static Object readValue(WireReader in, PropertyId id, String where) {
        String named = NAMED[id.ordinal()];
        return switch (id.type()) {
            case BYTE -> in.readByte(where, named);
            case TWO_BYTE_INTEGER -> in.readTwoByteInt(where, named);
            case FOUR_BYTE_INTEGER -> in.readFourByteInt(where, named);
            case VARIABLE_BYTE_INTEGER -> in.readVariableByteInt(where, named);
            case UTF8_STRING -> in.readUtf8(where, named);
            case UTF8_STRING_PAIR -> in.readStringPair(where, named);
            case BINARY_DATA -> in.readBinary(where, named);
        };
    }

    /** The value rules each property's own section states. */
    private static void check(PropertyId id, Object value, String where) {
        switch (id) {
            case PAYLOAD_FORMAT_INDICATOR, REQUEST_PROBLEM_INFORMATION, REQUEST_RESPONSE_INFORMATION, MAXIMUM_QOS,
                    RETAIN_AVAILABLE, WILDCARD_SUBSCRIPTION_AVAILABLE, SUBSCRIPTION_IDENTIFIER_AVAILABLE,
                    SHARED_SUBSCRIPTION_AVAILABLE -> {
                int v = (Integer) value;
                if (v > 1) {
                    throw ProtocolException.protocolError("It is a Protocol Error for " + id + " to have a value other than 0 or 1, got "
                            + v + " (" + where + ")");
                }
            }
            case RECEIVE_MAXIMUM, MAXIMUM_PACKET_SIZE, SUBSCRIPTION_IDENTIFIER -> {
                // 3.1.2.11.3, 3.1.2.11.4, 3.2.2.3.3, 3.2.2.3.6, 3.3.2.3.8, 3.8.2.1.2
                if (((Number) value).longValue() == 0) {
                    throw ProtocolException.protocolError("It is a Protocol Error for " + id + " to be 0 (" + where + ")");
                }
            }
            case TOPIC_ALIAS -> {
                // 3.3.4: "A Topic Alias value of 0 ... is a Protocol Error, ... 0x94 (Topic Alias invalid)"
                if ((Integer) value == 0) {
                    throw new ProtocolException(ReasonCode.TOPIC_ALIAS_INVALID, "[MQTT-3.3.2-8] a Topic Alias of 0 is not permitted");
                }
            }
            case RESPONSE_TOPIC -> Topics.checkTopicName((String) value, ProtocolVersion.V5, "Response Topic", "[MQTT-3.3.2-14]");
            default -> { }
        }
    }
}
