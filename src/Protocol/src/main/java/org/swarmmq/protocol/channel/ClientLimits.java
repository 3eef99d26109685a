package org.swarmmq.protocol.channel;

import org.swarmmq.protocol.packets.Connect;
import org.swarmmq.protocol.packets.PropertyId;

/**
 * What an MQTT 5 client's CONNECT told us about what we may send it: its Maximum Packet Size
 * (3.1.2.11.4), its Topic Alias Maximum (3.1.2.11.5) and whether it wants Reason Strings and
 * User Properties on packets other than PUBLISH, CONNACK and DISCONNECT (Request Problem
 * Information, 3.1.2.11.7). An MQTT 3 client has none of these: no limit, no aliases.
 *
 * @param maxPacketSize      the largest packet we may send, fixed header included ({@link #NO_LIMIT}: none given)
 * @param topicAliasMaximum  the aliases we may set for topics we send (0: none) [MQTT-3.3.2-11]
 * @param problemInformation false when the client sent Request Problem Information 0 [MQTT-3.1.2-29]
 */
public record ClientLimits(int maxPacketSize, int topicAliasMaximum, boolean problemInformation) {
    /** No Maximum Packet Size: the protocol's own limit applies (3.1.2.11.4 "no limit ... imposed"). */
    public static final int NO_LIMIT = Integer.MAX_VALUE;
    public static final ClientLimits NONE = new ClientLimits(NO_LIMIT, 0, true);

    public static ClientLimits of(Connect c) {
        if (!c.version().isV5()) return NONE;
        long max = c.properties().longValue(PropertyId.MAXIMUM_PACKET_SIZE, NO_LIMIT); // 0 is refused by the decoder
        return new ClientLimits((int) Math.min(max, NO_LIMIT), c.properties().intValue(PropertyId.TOPIC_ALIAS_MAXIMUM, 0),
                c.properties().intValue(PropertyId.REQUEST_PROBLEM_INFORMATION, 1) == 1);
    }
}
