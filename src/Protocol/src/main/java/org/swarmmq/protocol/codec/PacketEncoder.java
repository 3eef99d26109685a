package org.swarmmq.protocol.codec;

import static org.swarmmq.protocol.codec.WireWriter.*;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.util.List;
import org.swarmmq.protocol.packets.Auth;
import org.swarmmq.protocol.packets.ConnAck;
import org.swarmmq.protocol.packets.Connect;
import org.swarmmq.protocol.packets.Disconnect;
import org.swarmmq.protocol.packets.Packet;
import org.swarmmq.protocol.packets.PacketType;
import org.swarmmq.protocol.packets.Properties;
import org.swarmmq.protocol.packets.PropertyId;
import org.swarmmq.protocol.packets.ProtocolVersion;
import org.swarmmq.protocol.packets.PubAck;
import org.swarmmq.protocol.packets.PubComp;
import org.swarmmq.protocol.packets.PubRec;
import org.swarmmq.protocol.packets.PubRel;
import org.swarmmq.protocol.packets.Publish;
import org.swarmmq.protocol.packets.ReasonCode;
import org.swarmmq.protocol.packets.SubAck;
import org.swarmmq.protocol.packets.Subscribe;
import org.swarmmq.protocol.packets.Subscription;
import org.swarmmq.protocol.packets.UnsubAck;
import org.swarmmq.protocol.packets.Unsubscribe;

/**
 * Writes packets in the wire format of a protocol version. The size is computed first and the
 * bytes are then written exactly once into an output of that size: no growing buffers, no
 * intermediate arrays, the PUBLISH payload copied once (from its {@code Bytes} slice into the
 * output) and topic strings encoded char by char into the output.
 *
 * <p>MQTT 3.1 and 3.1.1 have no properties and no reason codes on the wire: for them properties
 * are dropped (so a PUBLISH received from an MQTT 5 client can be forwarded as is) and reason
 * codes map to return codes where the packet has one. Packets that cannot exist in a version
 * (AUTH before MQTT 5), values that cannot be written, and packets the receiver must reject (a
 * reason code outside the packet's table, a wildcard in a Topic Name, an empty Topic Filter, a
 * property value its section forbids) are refused with IllegalArgumentException, before anything
 * is written: the broker builds every packet it encodes, so that is a bug. What this encoder
 * writes, {@link PacketDecoder} accepts.
 */
public final class PacketEncoder {
    private PacketEncoder() {}

    /** The total size on the wire, fixed header included. */
    public static int encodedSize(Packet p, ProtocolVersion v) {
        int remainingLength = remainingLength(p, v);
        return 1 + variableByteIntegerSize(remainingLength) + remainingLength;
    }

    /** The packet in an array of exactly its size. */
    public static byte[] encode(Packet p, ProtocolVersion v) {
        int remainingLength = remainingLength(p, v);
        byte[] out = new byte[1 + variableByteIntegerSize(remainingLength) + remainingLength];
        write(p, v, remainingLength, out, 0, out.length);
        return out;
    }

    /**
     * Writes exactly {@link #encodedSize} bytes at {@code out}'s position and advances it. Throws
     * BufferOverflowException (or ReadOnlyBufferException), having written nothing, when they do
     * not fit.
     */
    /**
     * Several packets, in order, into one exact-size array: each packet is sized once, and a
     * batch becomes one write to the socket. The total must fit an array.
     */
    public static byte[] encode(java.util.List<? extends Packet> packets, ProtocolVersion v) {
        int n = packets.size();
        int[] remaining = new int[n];
        int total = 0;
        for (int i = 0; i < n; i++) {
            remaining[i] = remainingLength(packets.get(i), v);
            total = Math.addExact(total, 1 + variableByteIntegerSize(remaining[i]) + remaining[i]);
        }
        byte[] out = new byte[total];
        int pos = 0;
        for (int i = 0; i < n; i++) {
            int size = 1 + variableByteIntegerSize(remaining[i]) + remaining[i];
            write(packets.get(i), v, remaining[i], out, pos, size);
            pos += size;
        }
        return out;
    }

    public static void encode(Packet p, ProtocolVersion v, ByteBuffer out) {
        int remainingLength = remainingLength(p, v);
        int size = 1 + variableByteIntegerSize(remainingLength) + remainingLength;
        if (out.isReadOnly()) throw new ReadOnlyBufferException();
        if (out.remaining() < size) throw new BufferOverflowException();
        if (out.hasArray()) {
            write(p, v, remainingLength, out.array(), out.arrayOffset() + out.position(), size);
            out.position(out.position() + size);
        } else {
            // A direct buffer has no array to write into: the one case with an intermediate copy.
            byte[] bytes = new byte[size];
            write(p, v, remainingLength, bytes, 0, size);
            out.put(bytes);
        }
    }

    private static void write(Packet p, ProtocolVersion v, int remainingLength, byte[] out, int start, int size) {
        PacketType type = p.type();
        int flags = type == PacketType.PUBLISH ? publishFlags((Publish) p) : type.requiredFlags();
        out[start] = (byte) (type.value() << 4 | flags); // [MQTT-2.2.2-1] PUBREL, SUBSCRIBE, UNSUBSCRIBE: 0b0010
        int pos = writeVariableByteInteger(out, start + 1, remainingLength);
        int end = switch (type) {
            case CONNECT -> ConnectEncoder.write((Connect) p, out, pos);
            case CONNACK -> writeConnAck((ConnAck) p, v, out, pos);
            case PUBLISH -> writePublish((Publish) p, v, out, pos);
            case PUBACK -> writeAck(type, ((PubAck) p).packetId(), ((PubAck) p).reasonCode(), ((PubAck) p).properties(), v, out, pos);
            case PUBREC -> writeAck(type, ((PubRec) p).packetId(), ((PubRec) p).reasonCode(), ((PubRec) p).properties(), v, out, pos);
            case PUBREL -> writeAck(type, ((PubRel) p).packetId(), ((PubRel) p).reasonCode(), ((PubRel) p).properties(), v, out, pos);
            case PUBCOMP -> writeAck(type, ((PubComp) p).packetId(), ((PubComp) p).reasonCode(), ((PubComp) p).properties(), v, out, pos);
            case SUBSCRIBE -> writeSubscribe((Subscribe) p, v, out, pos);
            case SUBACK -> writeSubAck((SubAck) p, v, out, pos);
            case UNSUBSCRIBE -> writeUnsubscribe((Unsubscribe) p, v, out, pos);
            case UNSUBACK -> writeUnsubAck((UnsubAck) p, v, out, pos);
            case PINGREQ, PINGRESP -> pos;
            case DISCONNECT -> writeReasonAndProperties(type, ((Disconnect) p).reasonCode(), ((Disconnect) p).properties(), v, out, pos);
            case AUTH -> writeReasonAndProperties(type, ((Auth) p).reasonCode(), ((Auth) p).properties(), v, out, pos);
        };
        if (end != start + size) { // the size and write halves disagree: a bug here, never input
            throw new IllegalStateException(type + " wrote " + (end - start) + " bytes, sized " + size);
        }
    }

    /** The RemainingLength: the bytes after the fixed header (2.1.4; 3.1.1: 2.2.3). */
    static int remainingLength(Packet p, ProtocolVersion v) {
        PacketType type = p.type();
        return switch (type) {
            case CONNECT -> ConnectEncoder.remainingLength((Connect) p);
            case CONNACK -> {
                ConnAck a = (ConnAck) p;
                if (v.isV5()) checkReasonCode(type, a.reasonCode());
                else connectReturnCode(a.reasonCode()); // refuses codes 3.1.1 cannot say, before anything is written
                yield 2 + (v.isV5() ? propertiesSize(a.properties(), type, false) : 0);
            }
            case PUBLISH -> publishRemainingLength((Publish) p, v);
            case PUBACK -> ackRemainingLength(type, ((PubAck) p).reasonCode(), ((PubAck) p).properties(), v);
            case PUBREC -> ackRemainingLength(type, ((PubRec) p).reasonCode(), ((PubRec) p).properties(), v);
            case PUBREL -> ackRemainingLength(type, ((PubRel) p).reasonCode(), ((PubRel) p).properties(), v);
            case PUBCOMP -> ackRemainingLength(type, ((PubComp) p).reasonCode(), ((PubComp) p).properties(), v);
            case SUBSCRIBE -> subscribeRemainingLength((Subscribe) p, v);
            case SUBACK -> {
                SubAck s = (SubAck) p;
                checkReasonCodes(type, s.reasonCodes(), v);
                yield 2 + (v.isV5() ? propertiesSize(s.properties(), type, false) : 0) + s.reasonCodes().size();
            }
            case UNSUBSCRIBE -> unsubscribeRemainingLength((Unsubscribe) p, v);
            case UNSUBACK -> {
                UnsubAck u = (UnsubAck) p;
                // 3.1.1 UNSUBACK is the Packet Identifier alone (3.11.2)
                if (!v.isV5()) yield 2;
                checkReasonCodes(type, u.reasonCodes(), v);
                yield 2 + propertiesSize(u.properties(), type, false) + u.reasonCodes().size();
            }
            case PINGREQ, PINGRESP -> 0;
            case DISCONNECT -> reasonAndPropertiesLength(type, ((Disconnect) p).reasonCode(), ((Disconnect) p).properties(), v);
            case AUTH -> reasonAndPropertiesLength(type, ((Auth) p).reasonCode(), ((Auth) p).properties(), v);
        };
    }

    // ---- PUBLISH (3.3): the hot path ----

    private static int publishFlags(Publish p) {
        return (p.dup() ? 0b1000 : 0) | p.qos() << 1 | (p.retain() ? 1 : 0);
    }

    private static int publishRemainingLength(Publish p, ProtocolVersion v) {
        if (p.qos() > 0 && p.packetId() == 0) { // a session forgot to assign one [MQTT-2.3.1-1]
            throw new IllegalArgumentException("PUBLISH at QoS " + p.qos() + " without a packet identifier");
        }
        // MQTT 5 may leave the Topic Name empty when a Topic Alias stands for it (3.3.2.1); the
        // alias is a property, so it is not on a 3.1/3.1.1 wire and the name must be there.
        if (!p.topic().isEmpty() || !v.isV5() || !p.properties().has(PropertyId.TOPIC_ALIAS)) {
            checkTopicName(p.topic(), "PUBLISH Topic Name");
        }
        return stringSize(p.topic())
                + (p.qos() > 0 ? 2 : 0) // Packet Identifier only at QoS 1 and 2 [MQTT-2.2.1-2]
                + (v.isV5() ? propertiesSize(p.properties(), PacketType.PUBLISH, false) : 0)
                + p.payload().length();
    }

    private static int writePublish(Publish p, ProtocolVersion v, byte[] out, int pos) {
        pos = writeString(out, pos, p.topic());
        if (p.qos() > 0) pos = writeTwoByteInteger(out, pos, p.packetId());
        if (v.isV5()) pos = writePropertiesBlock(out, pos, p.properties(), PacketType.PUBLISH);
        p.payload().writeTo(out, pos); // the one copy of the payload
        return pos + p.payload().length();
    }

    // ---- PUBACK, PUBREC, PUBREL, PUBCOMP (3.4-3.7) ----

    /**
     * MQTT 5 short forms (3.4.2.1): Reason Code and Property Length may be left out when the code
     * is Success and there are no properties, and Property Length alone when there are none.
     */
    private static int ackRemainingLength(PacketType type, ReasonCode code, Properties props, ProtocolVersion v) {
        if (!v.isV5()) return 2;
        checkReasonCode(type, code);
        if (props.isEmpty()) return code == ReasonCode.SUCCESS ? 2 : 3;
        return 3 + propertiesSize(props, type, false);
    }

    private static int writeAck(PacketType type, int packetId, ReasonCode code, Properties props,
                                ProtocolVersion v, byte[] out, int pos) {
        pos = writeTwoByteInteger(out, pos, packetId);
        if (!v.isV5() || props.isEmpty() && code == ReasonCode.SUCCESS) return pos;
        out[pos++] = (byte) code.value();
        return props.isEmpty() ? pos : writePropertiesBlock(out, pos, props, type);
    }

    // ---- DISCONNECT (3.14) and AUTH (3.15): Reason Code and properties, no Packet Identifier ----

    private static int reasonAndPropertiesLength(PacketType type, ReasonCode code, Properties props, ProtocolVersion v) {
        if (!v.isV5()) {
            // 3.1.1 DISCONNECT has no variable header (3.14); AUTH is MQTT 5 only.
            if (type == PacketType.AUTH) throw new IllegalArgumentException("AUTH does not exist before MQTT 5: " + v);
            return 0;
        }
        checkReasonCode(type, code);
        if (props.isEmpty() && code == ReasonCode.SUCCESS) return 0; // 3.14.2.1, 3.15.2.1: Remaining Length 0
        if (type == PacketType.AUTH && !props.has(PropertyId.AUTHENTICATION_METHOD)) {
            // 3.15.2.2.2 "It is a Protocol Error to omit the Authentication Method"; [MQTT-4.12.0-5]
            throw new IllegalArgumentException("AUTH " + code + " without an Authentication Method (3.15.2.2.2)");
        }
        // DISCONNECT may also drop Property Length alone (3.14.2.2.1); AUTH may not (3.15.2.2.1).
        if (props.isEmpty() && type == PacketType.DISCONNECT) return 1;
        return 1 + propertiesSize(props, type, false);
    }

    private static int writeReasonAndProperties(PacketType type, ReasonCode code, Properties props,
                                                ProtocolVersion v, byte[] out, int pos) {
        if (!v.isV5() || props.isEmpty() && code == ReasonCode.SUCCESS) return pos;
        out[pos++] = (byte) code.value();
        if (props.isEmpty() && type == PacketType.DISCONNECT) return pos;
        return writePropertiesBlock(out, pos, props, type);
    }

    // ---- CONNACK (3.2) ----

    private static int writeConnAck(ConnAck p, ProtocolVersion v, byte[] out, int pos) {
        // Session Present is 0 with any refusal [MQTT-3.2.2-6] (3.1.1: [MQTT-3.2.2-4]); in 3.1 the
        // whole byte is reserved, and mosquitto writes 0 there too.
        boolean sessionPresent = p.sessionPresent() && p.reasonCode() == ReasonCode.SUCCESS && v != ProtocolVersion.V3_1;
        out[pos++] = (byte) (sessionPresent ? 1 : 0);
        out[pos++] = (byte) (v.isV5() ? p.reasonCode().value() : connectReturnCode(p.reasonCode()));
        return v.isV5() ? writePropertiesBlock(out, pos, p.properties(), PacketType.CONNACK) : pos;
    }

    /** The 3.1/3.1.1 Connect Return Code for an MQTT 5 reason code (3.1.1: 3.2.2.3). */
    static int connectReturnCode(ReasonCode code) {
        return switch (code) {
            case SUCCESS -> 0;
            case UNSUPPORTED_PROTOCOL_VERSION -> 1;
            case CLIENT_IDENTIFIER_NOT_VALID -> 2;
            case BAD_USER_NAME_OR_PASSWORD -> 4;
            case NOT_AUTHORIZED -> 5;
            default -> {
                // 3 "Server unavailable" is the only other refusal 3.1.1 can say.
                if (code.isError()) yield 3;
                throw new IllegalArgumentException(code + " is not a CONNACK reason code");
            }
        };
    }

    // ---- SUBSCRIBE (3.8) and SUBACK (3.9) ----

    private static int subscribeRemainingLength(Subscribe p, ProtocolVersion v) {
        // [MQTT-3.8.3-3] (3.1.1) at least one Topic Filter
        if (p.subscriptions().isEmpty()) throw new IllegalArgumentException("SUBSCRIBE without a Topic Filter [MQTT-3.8.3-3]");
        int length = 2 + (v.isV5() ? propertiesSize(p.properties(), PacketType.SUBSCRIBE, false) : 0);
        List<Subscription> subs = p.subscriptions();
        for (int i = 0, n = subs.size(); i < n; i++) {
            Subscription s = subs.get(i);
            checkFilterNotEmpty(s.topicFilter());
            if (v.isV5() && s.noLocal() && s.topicFilter().startsWith("$share/")) {
                throw new IllegalArgumentException("No Local on a Shared Subscription [MQTT-3.8.3-4]: " + s.topicFilter());
            }
            length += stringSize(s.topicFilter()) + 1;
        }
        return length;
    }

    private static int writeSubscribe(Subscribe p, ProtocolVersion v, byte[] out, int pos) {
        pos = writeTwoByteInteger(out, pos, p.packetId());
        if (v.isV5()) pos = writePropertiesBlock(out, pos, p.properties(), PacketType.SUBSCRIBE);
        List<Subscription> subs = p.subscriptions();
        for (int i = 0, n = subs.size(); i < n; i++) {
            Subscription s = subs.get(i);
            pos = writeString(out, pos, s.topicFilter());
            out[pos++] = (byte) subscriptionOptions(s, v);
        }
        return pos;
    }

    /**
     * Subscription Options (3.8.3.1): bits 0-1 QoS, 2 No Local, 3 Retain As Published, 4-5 Retain
     * Handling. 3.1.1 has the QoS alone and its upper six bits reserved as 0 [MQTT-3.8.3-4].
     */
    static int subscriptionOptions(Subscription s, ProtocolVersion v) {
        if (!v.isV5()) return s.qos();
        return s.qos() | (s.noLocal() ? 0b100 : 0) | (s.retainAsPublished() ? 0b1000 : 0) | s.retainHandling() << 4;
    }

    private static int writeSubAck(SubAck p, ProtocolVersion v, byte[] out, int pos) {
        pos = writeTwoByteInteger(out, pos, p.packetId());
        if (v.isV5()) pos = writePropertiesBlock(out, pos, p.properties(), PacketType.SUBACK);
        List<ReasonCode> codes = p.reasonCodes();
        for (int i = 0, n = codes.size(); i < n; i++) {
            out[pos++] = (byte) (v.isV5() ? codes.get(i).value() : subAckReturnCode(codes.get(i)));
        }
        return pos;
    }

    /** The 3.1.1 SUBACK return code: the granted QoS or 0x80 Failure (3.1.1: 3.9.3). */
    static int subAckReturnCode(ReasonCode code) {
        return switch (code) {
            case SUCCESS -> 0;
            case GRANTED_QOS_1 -> 1;
            case GRANTED_QOS_2 -> 2;
            default -> {
                if (code.isError()) yield 0x80;
                throw new IllegalArgumentException(code + " is not a SUBACK reason code");
            }
        };
    }

    // ---- UNSUBSCRIBE (3.10) and UNSUBACK (3.11) ----

    private static int unsubscribeRemainingLength(Unsubscribe p, ProtocolVersion v) {
        // [MQTT-3.10.3-2] (3.1.1) at least one Topic Filter
        if (p.topicFilters().isEmpty()) throw new IllegalArgumentException("UNSUBSCRIBE without a Topic Filter [MQTT-3.10.3-2]");
        int length = 2 + (v.isV5() ? propertiesSize(p.properties(), PacketType.UNSUBSCRIBE, false) : 0);
        List<String> filters = p.topicFilters();
        for (int i = 0, n = filters.size(); i < n; i++) {
            checkFilterNotEmpty(filters.get(i));
            length += stringSize(filters.get(i));
        }
        return length;
    }

    private static int writeUnsubscribe(Unsubscribe p, ProtocolVersion v, byte[] out, int pos) {
        pos = writeTwoByteInteger(out, pos, p.packetId());
        if (v.isV5()) pos = writePropertiesBlock(out, pos, p.properties(), PacketType.UNSUBSCRIBE);
        List<String> filters = p.topicFilters();
        for (int i = 0, n = filters.size(); i < n; i++) pos = writeString(out, pos, filters.get(i));
        return pos;
    }

    private static int writeUnsubAck(UnsubAck p, ProtocolVersion v, byte[] out, int pos) {
        pos = writeTwoByteInteger(out, pos, p.packetId());
        if (!v.isV5()) return pos;
        pos = writePropertiesBlock(out, pos, p.properties(), PacketType.UNSUBACK);
        List<ReasonCode> codes = p.reasonCodes();
        for (int i = 0, n = codes.size(); i < n; i++) out[pos++] = (byte) codes.get(i).value();
        return pos;
    }

    // ---- shared ----

    /** A reason code outside the packet's table is malformed to the receiver ([MQTT-3.4.2-1] and its siblings). */
    private static void checkReasonCode(PacketType type, ReasonCode code) {
        if (!ReasonCodes.allowed(type, code)) {
            throw new IllegalArgumentException(code + " is not a " + type + " Reason Code " + ReasonCodes.rule(type));
        }
    }

    /** SUBACK and (MQTT 5) UNSUBACK: one code per Topic Filter of the request, which has at least one. */
    private static void checkReasonCodes(PacketType type, List<ReasonCode> codes, ProtocolVersion v) {
        if (codes.isEmpty()) {
            throw new IllegalArgumentException(type + " without a Reason Code: one per Topic Filter "
                    + (type == PacketType.SUBACK ? "[MQTT-3.8.4-5] (MQTT 5: [MQTT-3.8.4-6])" : "[MQTT-3.11.3-1]"));
        }
        for (int i = 0, n = codes.size(); i < n; i++) {
            if (v.isV5()) checkReasonCode(type, codes.get(i));
            else subAckReturnCode(codes.get(i)); // refuses codes 3.1.1 cannot say, before anything is written
        }
    }

    /** Every version rejects an empty Topic Filter [MQTT-4.7.3-1]; the rest of its syntax is the broker's to judge. */
    private static void checkFilterNotEmpty(String filter) {
        if (filter.isEmpty()) throw new IllegalArgumentException("a Topic Filter must be at least one character [MQTT-4.7.3-1]");
    }

    /** A properties block whose length is recounted here: counting is cheaper than carrying it. */
    static int writePropertiesBlock(byte[] out, int pos, Properties props, PacketType type) {
        return WireWriter.writeProperties(out, pos, props, propertiesLength(props, type, false));
    }
}
