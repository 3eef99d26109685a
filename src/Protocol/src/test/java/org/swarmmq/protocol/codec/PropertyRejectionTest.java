package org.swarmmq.protocol.codec;

import static org.swarmmq.protocol.codec.DecoderFixtures.assertRejected;
import static org.swarmmq.protocol.packets.ProtocolVersion.V3_1_1;
import static org.swarmmq.protocol.packets.ProtocolVersion.V5;
import static org.swarmmq.protocol.packets.ReasonCode.MALFORMED_PACKET;
import static org.swarmmq.protocol.packets.ReasonCode.PROTOCOL_ERROR;
import static org.swarmmq.protocol.packets.ReasonCode.TOPIC_NAME_INVALID;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The MQTT 5 property rules of section 2.2.2 and of each property's own section. */
class PropertyRejectionTest {
    /** CONNECT, MQTT 5, clean start, keep alive 60, ClientID "c1", with these properties. */
    private static String connectWith(String properties) {
        int n = DecoderFixtures.hex(properties).length;
        return String.format("10 %02X 00 04 4D 51 54 54 05 02 00 3C %02X %s 00 02 63 31", 10 + 1 + n + 4, n, properties);
    }

    /** CONNACK, MQTT 5, success, with these properties. */
    private static String connAckWith(String properties) {
        int n = DecoderFixtures.hex(properties).length;
        return String.format("20 %02X 00 00 %02X %s", 3 + n, n, properties);
    }

    /** PUBLISH, MQTT 5, QoS 0, topic "a", with these properties and no payload. */
    private static String publishWith(String properties) {
        int n = DecoderFixtures.hex(properties).length;
        return String.format("30 %02X 00 01 61 %02X %s", 4 + n, n, properties);
    }

    @Test
    @DisplayName("2.2.2.2 an unknown Property Identifier is malformed")
    void unknownIdentifier() {
        assertRejected(MALFORMED_PACKET, "unknown Property Identifier", "40 05 00 01 00 01 05", V5);
        assertRejected(MALFORMED_PACKET, "unknown Property Identifier", publishWith("2B 00"), V5);
    }

    @Test
    @DisplayName("2.2.2.2 an Identifier not valid for its packet type is malformed")
    void identifierNotValidForPacket() {
        assertRejected(MALFORMED_PACKET, "is not valid in", "40 07 00 01 00 03 23 00 01", V5); // Topic Alias in PUBACK
        assertRejected(MALFORMED_PACKET, "is not valid in", connectWith("23 00 01"), V5); // Topic Alias in CONNECT
        assertRejected(MALFORMED_PACKET, "is not valid in", publishWith("11 00 00 00 01"), V5); // Session Expiry in PUBLISH
        assertRejected(MALFORMED_PACKET, "is not valid in", "A2 08 00 01 02 0B 01 00 01 61", V5); // Subscription Identifier in UNSUBSCRIBE
    }

    @Test
    @DisplayName("3.1.3.2 Will Properties take only will properties (2.2.2.2: else malformed)")
    void notAWillProperty() {
        // flags 06: will, clean start; Will Properties hold Session Expiry Interval
        assertRejected(MALFORMED_PACKET, "is not valid in Will Properties",
                "10 1A 00 04 4D 51 54 54 05 06 00 3C 00 | 00 02 63 31 | 05 11 00 00 00 01 | 00 01 74 | 00 00", V5);
    }

    @Test
    @DisplayName("It is a Protocol Error to include a property more than once (Session Expiry Interval, 3.1.2.11.2)")
    void duplicateProperty() {
        assertRejected(PROTOCOL_ERROR, "more than once", connectWith("11 00 00 00 01 11 00 00 00 02"), V5);
        assertRejected(PROTOCOL_ERROR, "more than once", "40 0C 00 01 00 08 1F 00 01 61 1F 00 01 62", V5); // two Reason Strings
    }

    @Test
    @DisplayName("3.8.2.1.2 It is a Protocol Error to include the Subscription Identifier in SUBSCRIBE more than once")
    void subscriptionIdentifierTwiceInSubscribe() {
        assertRejected(PROTOCOL_ERROR, "SUBSCRIPTION_IDENTIFIER more than once", "82 0B 00 01 04 0B 01 0B 02 00 01 61 00", V5);
    }

    @Test
    @DisplayName("3.8.2.1.2 / 3.3.2.3.8 It is a Protocol Error if the Subscription Identifier has a value of 0")
    void subscriptionIdentifierZero() {
        assertRejected(PROTOCOL_ERROR, "SUBSCRIPTION_IDENTIFIER to be 0", "82 09 00 01 02 0B 00 00 01 61 00", V5);
        assertRejected(PROTOCOL_ERROR, "SUBSCRIPTION_IDENTIFIER to be 0", publishWith("0B 00"), V5);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"17 02", "19 02"})
    @DisplayName("3.1.2.11.6/7 Request Response/Problem Information other than 0 or 1 is a Protocol Error")
    void connectByteFlags(String property) {
        assertRejected(PROTOCOL_ERROR, "other than 0 or 1", connectWith(property), V5);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"24 02", "25 02", "28 02", "29 FF", "2A 02"})
    @DisplayName("3.2.2.3 Maximum QoS, Retain/Wildcard/Subscription Identifier/Shared Available other than 0 or 1 is a Protocol Error")
    void connAckByteFlags(String property) {
        assertRejected(PROTOCOL_ERROR, "other than 0 or 1", connAckWith(property), V5);
    }

    @Test
    @DisplayName("3.3.2.3.2 Payload Format Indicator other than 0 or 1 is a Protocol Error")
    void payloadFormatIndicator() {
        assertRejected(PROTOCOL_ERROR, "PAYLOAD_FORMAT_INDICATOR to have a value other than 0 or 1", publishWith("01 02"), V5);
    }

    @Test
    @DisplayName("3.1.2.11.3 / 3.2.2.3.3 It is a Protocol Error for Receive Maximum to be 0")
    void receiveMaximumZero() {
        assertRejected(PROTOCOL_ERROR, "RECEIVE_MAXIMUM to be 0", connectWith("21 00 00"), V5);
        assertRejected(PROTOCOL_ERROR, "RECEIVE_MAXIMUM to be 0", connAckWith("21 00 00"), V5);
    }

    @Test
    @DisplayName("3.1.2.11.4 / 3.2.2.3.6 It is a Protocol Error for Maximum Packet Size to be 0")
    void maximumPacketSizeZero() {
        assertRejected(PROTOCOL_ERROR, "MAXIMUM_PACKET_SIZE to be 0", connectWith("27 00 00 00 00"), V5);
        assertRejected(PROTOCOL_ERROR, "MAXIMUM_PACKET_SIZE to be 0", connAckWith("27 00 00 00 00"), V5);
    }

    @Test
    @DisplayName("3.1.2.11.10 It is a Protocol Error to include Authentication Data without an Authentication Method")
    void authenticationDataWithoutMethod() {
        assertRejected(PROTOCOL_ERROR, "3.1.2.11.10", connectWith("16 00 01 AA"), V5);
    }

    @Test
    @DisplayName("[MQTT-3.3.2-14] the Response Topic must not contain wildcards")
    void mqtt_3_3_2_14_responseTopicWildcard() {
        assertRejected(TOPIC_NAME_INVALID, "[MQTT-3.3.2-14]", publishWith("08 00 03 61 2F 23"), V5);
    }

    @Test
    @DisplayName("2.2.2.1 properties running past the Property Length are malformed")
    void propertyPastPropertyLength() {
        // Property Length 2 covers "1F 00" only: the Reason String's length runs out
        assertRejected(MALFORMED_PACKET, "REASON_STRING length runs past the end", "40 08 00 01 00 02 1F 00 01 61", V5);
    }

    @Test
    @DisplayName("2.2.2.1 a Property Length running past the RemainingLength is malformed")
    void propertyLengthPastRemainingLength() {
        assertRejected(MALFORMED_PACKET, "PUBACK properties runs past the end", "40 05 00 01 00 09 1F", V5);
    }

    @Test
    @DisplayName("[MQTT-1.5.5-1] a Variable Byte Integer of 5 bytes is malformed")
    void mqtt_1_5_5_1_fiveByteVariableByteInteger() {
        assertRejected(MALFORMED_PACKET, "[MQTT-1.5.5-1]", publishWith("0B FF FF FF FF 7F"), V5); // Subscription Identifier
        assertRejected(MALFORMED_PACKET, "[MQTT-1.5.5-1]", "40 08 00 01 00 FF FF FF FF 7F", V5); // Property Length
    }

    @Test
    @DisplayName("error messages name the field in full (its name is joined only when a rule breaks)")
    void fieldNamesInMessages() {
        assertRejected(MALFORMED_PACKET, "PUBACK properties USER_PROPERTY name length runs past the end",
                "40 06 00 01 00 02 26 00", V5);
        assertRejected(MALFORMED_PACKET, "PUBACK properties USER_PROPERTY name runs past the end",
                "40 07 00 01 00 03 26 00 05", V5);
        assertRejected(MALFORMED_PACKET, "PUBACK properties USER_PROPERTY value length runs past the end",
                "40 09 00 01 00 05 26 00 01 61 00", V5);
        assertRejected(MALFORMED_PACKET, "PUBLISH (QoS 1) Packet Identifier runs past the end", "32 04 00 01 61 00", V3_1_1);
        assertRejected(MALFORMED_PACKET, "PUBLISH properties Property Length runs past the end", "30 03 00 01 61", V5);
    }
}
