package org.swarmmq.protocol.codec;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.swarmmq.protocol.codec.DecoderFixtures.assertRejected;
import static org.swarmmq.protocol.packets.ProtocolVersion.V3_1_1;
import static org.swarmmq.protocol.packets.ProtocolVersion.V5;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.swarmmq.protocol.Bytes;
import org.swarmmq.protocol.packets.Auth;
import org.swarmmq.protocol.packets.ConnAck;
import org.swarmmq.protocol.packets.Connect;
import org.swarmmq.protocol.packets.Disconnect;
import org.swarmmq.protocol.packets.Packet;
import org.swarmmq.protocol.packets.Properties;
import org.swarmmq.protocol.packets.Property;
import org.swarmmq.protocol.packets.PropertyId;
import org.swarmmq.protocol.packets.ProtocolVersion;
import org.swarmmq.protocol.packets.PubAck;
import org.swarmmq.protocol.packets.PubRel;
import org.swarmmq.protocol.packets.Publish;
import org.swarmmq.protocol.packets.ReasonCode;
import org.swarmmq.protocol.packets.SubAck;
import org.swarmmq.protocol.packets.Subscribe;
import org.swarmmq.protocol.packets.Subscription;
import org.swarmmq.protocol.packets.UnsubAck;
import org.swarmmq.protocol.packets.Unsubscribe;
import org.swarmmq.protocol.packets.Will;

/**
 * Regressions found by {@link EncoderDecoderAgreementTest}: packets the encoder used to write
 * although the receiver must reject them. Each case gives the bytes the old encoder wrote, shows
 * that the decoder rejects them for the rule named, and that the encoder now refuses the packet.
 */
class EncoderRefusesWhatDecoderRejectsTest {

    record Case(String rule, Packet packet, ProtocolVersion version, String oldWire, ReasonCode rejectedAs, String because) {
        @Override
        public String toString() {
            return rule;
        }
    }

    private static Properties props(PropertyId id, Object value) {
        return Properties.of(new Property(id, value));
    }

    static Stream<Case> cases() {
        return Stream.of(
                // A reason code outside the packet's table
                new Case("[MQTT-3.4.2-1] PUBACK with 0x01 Granted QoS 1", new PubAck(1, ReasonCode.GRANTED_QOS_1, Properties.EMPTY),
                        V5, "40 03 00 01 01", ReasonCode.MALFORMED_PACKET, "[MQTT-3.4.2-1]"),
                new Case("[MQTT-3.6.2-1] PUBREL with 0x87 Not authorized", new PubRel(1, ReasonCode.NOT_AUTHORIZED, Properties.EMPTY),
                        V5, "62 03 00 01 87", ReasonCode.MALFORMED_PACKET, "[MQTT-3.6.2-1]"),
                new Case("[MQTT-3.2.2-8] CONNACK with 0x01 Granted QoS 1", new ConnAck(false, ReasonCode.GRANTED_QOS_1, Properties.EMPTY),
                        V5, "20 03 00 01 00", ReasonCode.MALFORMED_PACKET, "[MQTT-3.2.2-8]"),
                new Case("[MQTT-3.9.3-2] SUBACK with 0x11 No subscription existed",
                        new SubAck(1, List.of(ReasonCode.NO_SUBSCRIPTION_EXISTED), Properties.EMPTY),
                        V5, "90 04 00 01 00 11", ReasonCode.MALFORMED_PACKET, "[MQTT-3.9.3-2]"),
                new Case("[MQTT-3.11.3-2] UNSUBACK with 0x02 Granted QoS 2",
                        new UnsubAck(1, List.of(ReasonCode.GRANTED_QOS_2), Properties.EMPTY),
                        V5, "B0 04 00 01 00 02", ReasonCode.MALFORMED_PACKET, "[MQTT-3.11.3-2]"),
                new Case("[MQTT-3.14.2-1] DISCONNECT with 0x18 Continue authentication", Disconnect.of(ReasonCode.CONTINUE_AUTHENTICATION),
                        V5, "E0 01 18", ReasonCode.MALFORMED_PACKET, "[MQTT-3.14.2-1]"),
                // One reason code per Topic Filter, and a request has at least one
                new Case("[MQTT-3.8.4-5] 3.1.1 SUBACK without return codes", new SubAck(1, List.of(), Properties.EMPTY),
                        V3_1_1, "90 02 00 01", ReasonCode.PROTOCOL_ERROR, "SUBACK must carry a Reason Code"),
                new Case("[MQTT-3.11.3-1] MQTT 5 UNSUBACK without reason codes", new UnsubAck(1, List.of(), Properties.EMPTY),
                        V5, "B0 03 00 01 00", ReasonCode.PROTOCOL_ERROR, "[MQTT-3.11.3-1]"),
                // Authentication
                new Case("3.15.2.2.2 AUTH Continue authentication without Authentication Method",
                        new Auth(ReasonCode.CONTINUE_AUTHENTICATION, Properties.EMPTY),
                        V5, "F0 02 18 00", ReasonCode.PROTOCOL_ERROR, "3.15.2.2.2"),
                new Case("3.1.2.11.10 CONNECT with Authentication Data but no Authentication Method",
                        new Connect(V5, "c", true, 0, null, null, null, props(PropertyId.AUTHENTICATION_DATA, Bytes.wrap(new byte[] {1}))),
                        V5, "10 12 00 04 4D 51 54 54 05 02 00 00 04 16 00 01 01 00 01 63", ReasonCode.PROTOCOL_ERROR, "3.1.2.11.10"),
                // Property values the property's section forbids
                new Case("3.3.2.3.2 Payload Format Indicator 2",
                        new Publish(false, 0, false, "t", 0, Bytes.EMPTY, props(PropertyId.PAYLOAD_FORMAT_INDICATOR, 2)),
                        V5, "30 06 00 01 74 02 01 02", ReasonCode.PROTOCOL_ERROR, "PAYLOAD_FORMAT_INDICATOR"),
                new Case("3.2.2.3.3 Receive Maximum 0", new ConnAck(false, ReasonCode.SUCCESS, props(PropertyId.RECEIVE_MAXIMUM, 0)),
                        V5, "20 06 00 00 03 21 00 00", ReasonCode.PROTOCOL_ERROR, "RECEIVE_MAXIMUM"),
                new Case("[MQTT-3.3.2-14] Response Topic with a wildcard",
                        new Publish(false, 0, false, "t", 0, Bytes.EMPTY, props(PropertyId.RESPONSE_TOPIC, "a/#")),
                        V5, "30 0A 00 01 74 06 08 00 03 61 2F 23", ReasonCode.TOPIC_NAME_INVALID, "[MQTT-3.3.2-14]"),
                // Topic Names and Topic Filters
                new Case("[MQTT-3.3.2-2] PUBLISH Topic Name with a wildcard", Publish.of("a/+", 0, 0, Bytes.EMPTY),
                        V3_1_1, "30 05 00 03 61 2F 2B", ReasonCode.MALFORMED_PACKET, "[MQTT-3.3.2-2]"),
                new Case("3.3.2.1 empty PUBLISH Topic Name without Topic Alias", Publish.of("", 1, 7, Bytes.EMPTY),
                        V5, "32 05 00 00 00 07 00", ReasonCode.PROTOCOL_ERROR, "3.3.2.1"),
                new Case("[MQTT-4.7.3-1] empty Will Topic",
                        new Connect(V3_1_1, "c", true, 0, new Will("", Bytes.EMPTY, 0, false, Properties.EMPTY), null, null, Properties.EMPTY),
                        V3_1_1, "10 11 00 04 4D 51 54 54 04 06 00 00 00 01 63 00 00 00 00", ReasonCode.MALFORMED_PACKET, "[MQTT-4.7.3-1]"),
                new Case("[MQTT-4.7.3-1] empty Topic Filter in SUBSCRIBE", new Subscribe(1, List.of(new Subscription("", 0)), Properties.EMPTY),
                        V3_1_1, "82 05 00 01 00 00 00", ReasonCode.MALFORMED_PACKET, "[MQTT-4.7.3-1]"),
                new Case("[MQTT-4.7.3-1] empty Topic Filter in UNSUBSCRIBE", new Unsubscribe(1, List.of(""), Properties.EMPTY),
                        V3_1_1, "A2 04 00 01 00 00", ReasonCode.MALFORMED_PACKET, "[MQTT-4.7.3-1]"),
                new Case("[MQTT-3.8.3-4] No Local on a Shared Subscription",
                        new Subscribe(1, List.of(new Subscription("$share/g/t", 0, true, false, 0)), Properties.EMPTY),
                        V5, "82 10 00 01 00 00 0A 24 73 68 61 72 65 2F 67 2F 74 04", ReasonCode.PROTOCOL_ERROR, "[MQTT-3.8.3-4]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void encoderRefusesWhatTheDecoderRejects(Case c) {
        assertRejected(c.rejectedAs(), c.because(), c.oldWire(), c.version());
        assertThrows(IllegalArgumentException.class, () -> PacketEncoder.encodedSize(c.packet(), c.version()));
        assertThrows(IllegalArgumentException.class, () -> PacketEncoder.encode(c.packet(), c.version()));
    }
}
