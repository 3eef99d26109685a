package org.swarmmq.protocol.codec;

import java.util.ArrayList;
import java.util.List;
import org.swarmmq.protocol.ProtocolException;
import org.swarmmq.protocol.packets.PacketType;
import org.swarmmq.protocol.packets.Properties;
import org.swarmmq.protocol.packets.ProtocolVersion;
import org.swarmmq.protocol.packets.ReasonCode;
import org.swarmmq.protocol.packets.SubAck;
import org.swarmmq.protocol.packets.Subscribe;
import org.swarmmq.protocol.packets.Subscription;
import org.swarmmq.protocol.packets.UnsubAck;
import org.swarmmq.protocol.packets.Unsubscribe;

/**
 * SUBSCRIBE, SUBACK, UNSUBSCRIBE and UNSUBACK (3.8-3.11). Topic Filters are handed over verbatim
 * (only an empty one is rejected, see {@link Topics}): the broker answers bad filters per filter.
 */
final class SubscribeDecoder {
    private SubscribeDecoder() {}

    static Subscribe subscribe(Frame frame, ProtocolVersion version) {
        WireReader r = new WireReader(frame.body());
        int packetId = PublishDecoder.readPacketId(r, "SUBSCRIBE");
        Properties properties = version.isV5() ? PropertiesReader.read(r, PacketType.SUBSCRIBE) : Properties.EMPTY;
        List<Subscription> subscriptions = new ArrayList<>();
        while (r.hasRemaining()) {
            String filter = r.readUtf8("SUBSCRIBE Topic Filter"); // [MQTT-3.8.3-1]
            Topics.checkFilterNotEmpty(filter, "SUBSCRIBE");
            int options = r.readByte("Subscription Options");
            subscriptions.add(version.isV5() ? v5Subscription(filter, options) : v3Subscription(filter, options));
        }
        if (subscriptions.isEmpty()) {
            // 3.1.1 calls it a protocol violation, MQTT 5 a Protocol Error.
            throw ProtocolException.protocolError("[MQTT-3.8.3-3] (MQTT 5: [MQTT-3.8.3-2]) SUBSCRIBE must contain at least one Topic Filter");
        }
        return new Subscribe(packetId, subscriptions, properties);
    }

    /** 3.1.1: the byte after each filter is the Requested QoS; bits 7-2 are reserved. */
    private static Subscription v3Subscription(String filter, int options) {
        if ((options & 0xFC) != 0) {
            throw ProtocolException.malformed("[MQTT-3-8.3-4] reserved bits 7-2 of the Requested QoS byte must be 0, got "
                    + Integer.toBinaryString(options));
        }
        if (options == 3) {
            throw ProtocolException.malformed("[MQTT-3-8.3-4] Requested QoS must be 0, 1 or 2, got 3");
        }
        return new Subscription(filter, options);
    }

    /** MQTT 5 Subscription Options (3.8.3.1). */
    private static Subscription v5Subscription(String filter, int options) {
        if ((options & 0xC0) != 0) {
            throw ProtocolException.malformed("[MQTT-3.8.3-5] reserved bits 7-6 of the Subscription Options must be 0");
        }
        int qos = options & 0x03;
        boolean noLocal = (options & 0x04) != 0;
        boolean retainAsPublished = (options & 0x08) != 0;
        int retainHandling = (options >> 4) & 0x03;
        if (qos == 3) {
            throw ProtocolException.protocolError("3.8.3.1 It is a Protocol Error if the Maximum QoS field has the value 3");
        }
        if (retainHandling == 3) {
            throw ProtocolException.protocolError("3.8.3.1 It is a Protocol Error to send a Retain Handling value of 3");
        }
        if (noLocal && filter.startsWith("$share/")) {
            throw ProtocolException.protocolError("[MQTT-3.8.3-4] No Local must not be set on a Shared Subscription: " + filter);
        }
        return new Subscription(filter, qos, noLocal, retainAsPublished, retainHandling);
    }

    static SubAck subAck(Frame frame, ProtocolVersion version) {
        WireReader r = new WireReader(frame.body());
        int packetId = PublishDecoder.readPacketId(r, "SUBACK");
        Properties properties = version.isV5() ? PropertiesReader.read(r, PacketType.SUBACK) : Properties.EMPTY;
        List<ReasonCode> codes = new ArrayList<>();
        while (r.hasRemaining()) {
            int raw = r.readByte("SUBACK Reason Code");
            codes.add(version.isV5() ? ReasonCodes.v5(PacketType.SUBACK, raw) : ReasonCodes.subAckReturnCode(raw));
        }
        if (codes.isEmpty()) {
            // One code per filter of the SUBSCRIBE, which has at least one.
            throw ProtocolException.protocolError("[MQTT-3.8.4-5] (MQTT 5: [MQTT-3.8.4-6]) SUBACK must carry a Reason Code per Topic Filter, got none");
        }
        return new SubAck(packetId, codes, properties);
    }

    static Unsubscribe unsubscribe(Frame frame, ProtocolVersion version) {
        WireReader r = new WireReader(frame.body());
        int packetId = PublishDecoder.readPacketId(r, "UNSUBSCRIBE");
        Properties properties = version.isV5() ? PropertiesReader.read(r, PacketType.UNSUBSCRIBE) : Properties.EMPTY;
        List<String> filters = new ArrayList<>();
        while (r.hasRemaining()) {
            String filter = r.readUtf8("UNSUBSCRIBE Topic Filter"); // [MQTT-3.10.3-1]
            Topics.checkFilterNotEmpty(filter, "UNSUBSCRIBE");
            filters.add(filter);
        }
        if (filters.isEmpty()) {
            throw ProtocolException.protocolError("[MQTT-3.10.3-2] UNSUBSCRIBE must contain at least one Topic Filter");
        }
        return new Unsubscribe(packetId, filters, properties);
    }

    static UnsubAck unsubAck(Frame frame, ProtocolVersion version) {
        WireReader r = new WireReader(frame.body());
        int packetId = PublishDecoder.readPacketId(r, "UNSUBACK");
        if (!version.isV5()) {
            r.expectEnd("UNSUBACK (3.11: RemainingLength is 2)");
            return new UnsubAck(packetId, List.of(), Properties.EMPTY);
        }
        Properties properties = PropertiesReader.read(r, PacketType.UNSUBACK);
        List<ReasonCode> codes = new ArrayList<>();
        while (r.hasRemaining()) codes.add(ReasonCodes.v5(PacketType.UNSUBACK, r.readByte("UNSUBACK Reason Code")));
        if (codes.isEmpty()) {
            throw ProtocolException.protocolError("[MQTT-3.11.3-1] UNSUBACK must carry a Reason Code per Topic Filter, got none");
        }
        return new UnsubAck(packetId, codes, properties);
    }
}
