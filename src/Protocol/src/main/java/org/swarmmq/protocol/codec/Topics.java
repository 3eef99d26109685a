package org.swarmmq.protocol.codec;

import org.swarmmq.protocol.ProtocolException;
import org.swarmmq.protocol.packets.ProtocolVersion;
import org.swarmmq.protocol.packets.ReasonCode;

/**
 * The few topic rules the decoder enforces itself. Topic Filter validity (where '#' and '+' may
 * stand) is deliberately NOT checked here: in MQTT 5 an invalid filter is answered per filter
 * with SUBACK 0x8F, not by closing, so the broker decides; the decoder hands filters over
 * verbatim and only rejects the empty one, which no version allows [MQTT-4.7.3-1].
 */
final class Topics {
    private Topics() {}

    /**
     * A Topic Name (PUBLISH, Will Topic, Response Topic) must be at least one character
     * [MQTT-4.7.3-1] and must not contain the wildcards '+' or '#' [MQTT-3.3.2-2]. MQTT 5 has a
     * reason code for this, 0x90 Topic Name invalid; 3.1/3.1.1 only close the connection, and
     * we report it there as a Malformed Packet.
     */
    static void checkTopicName(String topic, ProtocolVersion version, String field, String rule) {
        ReasonCode code = version.isV5() ? ReasonCode.TOPIC_NAME_INVALID : ReasonCode.MALFORMED_PACKET;
        if (topic.isEmpty()) {
            throw new ProtocolException(code, "[MQTT-4.7.3-1] " + field + " must be at least one character long");
        }
        if (topic.indexOf('+') >= 0 || topic.indexOf('#') >= 0) {
            throw new ProtocolException(code, rule + " " + field + " must not contain wildcard characters: '" + topic + "'");
        }
    }

    /** Topic Filters in SUBSCRIBE and UNSUBSCRIBE must be at least one character [MQTT-4.7.3-1]. */
    static void checkFilterNotEmpty(String filter, String packet) {
        if (filter.isEmpty()) {
            throw ProtocolException.malformed("[MQTT-4.7.3-1] a Topic Filter in " + packet + " must be at least one character long");
        }
    }
}
