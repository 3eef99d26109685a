package org.swarmmq.protocol.channel;

import org.swarmmq.protocol.codec.PacketEncoder;
import org.swarmmq.protocol.packets.*;

/**
 * The last step before a packet is encoded for an MQTT 5 client, with what its CONNECT asked
 * ({@link ClientLimits}): topic aliases for PUBLISH ({@link OutboundTopicAliases}), no Reason
 * String or User Property where it asked for no problem information [MQTT-3.1.2-29], and nothing
 * above its Maximum Packet Size [MQTT-3.1.2-24]: a packet too large loses its Reason String
 * first, then its User Properties, as the spec allows for every packet that has them
 * ([MQTT-3.2.2-19], [MQTT-3.4.2-2], [MQTT-3.14.2-3] and the others). A PUBLISH is never cut: the
 * session already discards one too large before it has a packet identifier [MQTT-3.1.2-25], so
 * here one only loses an alias that would not fit. MQTT 3 packets pass unchanged.
 * One per network connection: the aliases are that connection's [MQTT-3.3.2-7].
 */
public final class OutboundPackets {
    private final ProtocolVersion version;
    private final ClientLimits limits;
    /** Null when the client takes none [MQTT-3.3.2-11]. */
    private final OutboundTopicAliases aliases;

    public OutboundPackets(ProtocolVersion version, ClientLimits limits) {
        this.version = version;
        this.limits = version != null && version.isV5() ? limits : ClientLimits.NONE;
        this.aliases = this.limits.topicAliasMaximum() > 0 ? new OutboundTopicAliases(this.limits.topicAliasMaximum()) : null;
    }

    /** The packet to encode in place of {@code p}, or null when no form of it fits the client's Maximum Packet Size. */
    public Packet prepare(Packet p) {
        if (version == null || !version.isV5()) return p;
        if (p instanceof Publish pub) {
            Publish sent = aliases == null ? pub : aliases.apply(pub, this::fits);
            return fits(sent) ? sent : null;
        }
        Properties props = propertiesOf(p);
        if (props.isEmpty()) return fits(p) ? p : null;
        boolean diagnosticsAllowed = limits.problemInformation() || p instanceof ConnAck || p instanceof Disconnect;
        if (!diagnosticsAllowed) p = withProperties(p, withoutDiagnostics(props)); // [MQTT-3.1.2-29]
        if (fits(p)) return p;
        p = withProperties(p, propertiesOf(p).without(PropertyId.REASON_STRING));
        if (fits(p)) return p;
        p = withProperties(p, propertiesOf(p).without(PropertyId.USER_PROPERTY));
        return fits(p) ? p : null;
    }

    /**
     * {@code why} as a Reason String (3.14.2.2.3): a human readable text, so no control characters
     * (and none of U+0000 or unpaired surrogates, which a UTF-8 string must not hold [MQTT-1.5.4-1,2]),
     * at most 256 characters.
     */
    public static String reasonString(String why) {
        StringBuilder b = new StringBuilder(Math.min(why.length(), 256));
        for (int i = 0; i < why.length() && b.length() < 256; i++) {
            char c = why.charAt(i);
            boolean control = c < 0x20 || (c >= 0x7F && c <= 0x9F) || Character.isSurrogate(c);
            b.append(control ? '?' : c);
        }
        return b.toString();
    }

    public boolean fits(Packet p) {
        return limits.maxPacketSize() == ClientLimits.NO_LIMIT
                || PacketEncoder.encodedSize(p, version) <= limits.maxPacketSize();
    }

    private static Properties withoutDiagnostics(Properties props) {
        return props.without(PropertyId.REASON_STRING).without(PropertyId.USER_PROPERTY);
    }

    private static Properties propertiesOf(Packet p) {
        if (p instanceof ConnAck a) return a.properties();
        if (p instanceof PubAck a) return a.properties();
        if (p instanceof PubRec a) return a.properties();
        if (p instanceof PubRel a) return a.properties();
        if (p instanceof PubComp a) return a.properties();
        if (p instanceof SubAck a) return a.properties();
        if (p instanceof UnsubAck a) return a.properties();
        if (p instanceof Disconnect d) return d.properties();
        if (p instanceof Auth a) return a.properties();
        return Properties.EMPTY; // PINGRESP; CONNECT, SUBSCRIBE, UNSUBSCRIBE are never sent by us
    }

    private static Packet withProperties(Packet p, Properties props) {
        if (p instanceof ConnAck a) return new ConnAck(a.sessionPresent(), a.reasonCode(), props);
        if (p instanceof PubAck a) return new PubAck(a.packetId(), a.reasonCode(), props);
        if (p instanceof PubRec a) return new PubRec(a.packetId(), a.reasonCode(), props);
        if (p instanceof PubRel a) return new PubRel(a.packetId(), a.reasonCode(), props);
        if (p instanceof PubComp a) return new PubComp(a.packetId(), a.reasonCode(), props);
        if (p instanceof SubAck a) return new SubAck(a.packetId(), a.reasonCodes(), props);
        if (p instanceof UnsubAck a) return new UnsubAck(a.packetId(), a.reasonCodes(), props);
        if (p instanceof Disconnect d) return new Disconnect(d.reasonCode(), props);
        if (p instanceof Auth a) return new Auth(a.reasonCode(), props);
        return p;
    }
}
