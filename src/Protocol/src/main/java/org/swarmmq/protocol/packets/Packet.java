package org.swarmmq.protocol.packets;

/**
 * An MQTT control packet. One immutable model serves every protocol version: fields that only
 * MQTT 5 has (properties, reason codes) hold their defaults for 3.1 and 3.1.1.
 */
public sealed interface Packet
        permits Connect, ConnAck, Publish, PubAck, PubRec, PubRel, PubComp, Subscribe, SubAck,
                Unsubscribe, UnsubAck, PingReq, PingResp, Disconnect, Auth {
    PacketType type();
}
