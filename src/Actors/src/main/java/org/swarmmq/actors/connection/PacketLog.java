package org.swarmmq.actors.connection;

import org.swarmmq.protocol.packets.*;

/** One line per packet, in the words `mosquitto -v` uses, for the verbose log. */
final class PacketLog {
    private PacketLog() {
    }

    static String received(Packet p, String clientId) {
        return "Received " + describe(p, "from", clientId);
    }

    static String sending(Packet p, String clientId) {
        return "Sending " + describe(p, "to", clientId);
    }

    private static String describe(Packet p, String preposition, String clientId) {
        String head = p.type() + " " + preposition + " " + clientId;
        if (p instanceof Publish m) {
            return head + String.format(" (d%d, q%d, r%d, m%d, '%s', ... (%d bytes))",
                    m.dup() ? 1 : 0, m.qos(), m.retain() ? 1 : 0, m.packetId(), m.topic(), m.payload().length());
        } else if (p instanceof Connect c) {
            return head + String.format(" (p%d, c%d, k%d%s)", c.version().level(), c.cleanStart() ? 1 : 0,
                    c.keepAlive(), c.userName() == null ? "" : ", u'" + c.userName() + "'");
        } else if (p instanceof ConnAck a) {
            return head + String.format(" (%d, %d)", a.sessionPresent() ? 1 : 0, a.reasonCode().value());
        } else if (p instanceof PubAck a) {
            return head + String.format(" (m%d, rc%d)", a.packetId(), a.reasonCode().value());
        } else if (p instanceof PubRec a) {
            return head + String.format(" (m%d, rc%d)", a.packetId(), a.reasonCode().value());
        } else if (p instanceof PubRel a) {
            return head + String.format(" (m%d)", a.packetId());
        } else if (p instanceof PubComp a) {
            return head + String.format(" (m%d)", a.packetId());
        } else if (p instanceof Subscribe s) {
            StringBuilder sb = new StringBuilder(head);
            for (Subscription sub : s.subscriptions()) {
                sb.append("\n\t").append(sub.topicFilter()).append(" (QoS ").append(sub.qos()).append(')');
            }
            return sb.toString();
        } else if (p instanceof Unsubscribe u) {
            return head + " " + u.topicFilters();
        } else if (p instanceof Disconnect d && d.reasonCode() != ReasonCode.SUCCESS) {
            return head + " (" + d.reasonCode() + ")";
        } else if (p instanceof org.swarmmq.protocol.packets.Auth a) {
            // the method, never the data (a SCRAM proof or nonce has no place in a log)
            return head + " (rc" + a.reasonCode().value() + ", "
                    + a.properties().string(org.swarmmq.protocol.packets.PropertyId.AUTHENTICATION_METHOD) + ")";
        }
        return head;
    }
}
