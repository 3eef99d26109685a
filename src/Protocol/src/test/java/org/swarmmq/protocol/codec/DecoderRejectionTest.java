package org.swarmmq.protocol.codec;

import static org.swarmmq.protocol.codec.DecoderFixtures.assertRejected;
import static org.swarmmq.protocol.packets.ProtocolVersion.V3_1;
import static org.swarmmq.protocol.packets.ProtocolVersion.V3_1_1;
import static org.swarmmq.protocol.packets.ProtocolVersion.V5;
import static org.swarmmq.protocol.packets.ReasonCode.MALFORMED_PACKET;
import static org.swarmmq.protocol.packets.ReasonCode.PROTOCOL_ERROR;
import static org.swarmmq.protocol.packets.ReasonCode.TOPIC_ALIAS_INVALID;
import static org.swarmmq.protocol.packets.ReasonCode.TOPIC_NAME_INVALID;
import static org.swarmmq.protocol.packets.ReasonCode.UNSUPPORTED_PROTOCOL_VERSION;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One test per rule that makes a receiver reject a packet, named after the rule (MQTT 3.1.1 ids;
 * MQTT 5 ids where only MQTT 5 has the rule), asserting the reason code. Each packet is valid
 * except for the one byte the rule is about, so the test fails if the check goes missing.
 * Property rules are in {@link PropertyRejectionTest}.
 */
class DecoderRejectionTest {
    private static final String MQTT = "00 04 4D 51 54 54";

    // --- Fixed header ---

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"21 02 00 00", "41 02 00 01", "52 02 00 01", "78 02 00 01", "98 03 00 01 00",
            "B4 02 00 01", "C1 00", "D8 00"})
    @DisplayName("[MQTT-2.2.2-2] reserved fixed header flags must be 0000")
    void mqtt_2_2_2_2_reservedFlags(String packet) {
        assertRejected(MALFORMED_PACKET, "[MQTT-2.2.2-2]", packet, V3_1_1);
    }

    @Test
    @DisplayName("[MQTT-3.6.1-1] PUBREL flags must be 0010")
    void mqtt_3_6_1_1_pubRelFlags() {
        assertRejected(MALFORMED_PACKET, "[MQTT-3.6.1-1]", "60 02 00 07", V3_1_1);
    }

    @Test
    @DisplayName("[MQTT-3.8.1-1] SUBSCRIBE flags must be 0010")
    void mqtt_3_8_1_1_subscribeFlags() {
        assertRejected(MALFORMED_PACKET, "[MQTT-3.8.1-1]", "80 08 00 01 00 03 31 31 30 00", V3_1_1);
    }

    @Test
    @DisplayName("[MQTT-3.10.1-1] UNSUBSCRIBE flags must be 0010")
    void mqtt_3_10_1_1_unsubscribeFlags() {
        assertRejected(MALFORMED_PACKET, "[MQTT-3.10.1-1]", "A0 07 00 02 00 03 31 31 30", V3_1_1);
    }

    @Test
    @DisplayName("[MQTT-3.14.1-1] DISCONNECT flags must be 0000")
    void mqtt_3_14_1_1_disconnectFlags() {
        assertRejected(MALFORMED_PACKET, "[MQTT-3.14.1-1]", "E2 00", V3_1_1);
        assertRejected(MALFORMED_PACKET, "[MQTT-3.14.1-1]", "E2 00", V5);
    }

    @Test
    @DisplayName("[MQTT-3.15.1-1] AUTH flags must be 0000")
    void mqtt_3_15_1_1_authFlags() {
        assertRejected(MALFORMED_PACKET, "[MQTT-3.15.1-1]", "F1 00", V5);
    }

    @Test
    @DisplayName("2.2.1 packet type 15 is reserved before MQTT 5")
    void authIsReservedBeforeV5() {
        assertRejected(MALFORMED_PACKET, "packet type 15 is reserved", "F0 00", V3_1_1);
        assertRejected(MALFORMED_PACKET, "packet type 15 is reserved", "F0 00", V3_1);
    }

    @Test
    @DisplayName("RemainingLength longer than the fields: bytes left over are malformed")
    void remainingLengthTooLong() {
        assertRejected(MALFORMED_PACKET, "left over after the last field", "40 03 00 06 00", V3_1_1);
        assertRejected(MALFORMED_PACKET, "left over after the last field", "B0 03 00 01 00", V3_1_1);
        assertRejected(MALFORMED_PACKET, "left over after the last field", "20 03 00 00 00", V3_1_1);
    }

    @Test
    @DisplayName("RemainingLength shorter than the fields: a field running past the end is malformed")
    void remainingLengthTooShort() {
        assertRejected(MALFORMED_PACKET, "runs past the end", "30 05 00 10 61 62 63", V3_1_1);
        assertRejected(MALFORMED_PACKET, "runs past the end", "40 01 00", V3_1_1);
        assertRejected(MALFORMED_PACKET, "runs past the end", "82 05 00 01 00 01 61", V3_1_1); // no Requested QoS byte
        assertRejected(MALFORMED_PACKET, "runs past the end", "20 02 00 00", V5); // CONNACK without its Property Length
    }

    @Test
    @DisplayName("3.12/3.13/3.14 PINGREQ, PINGRESP and the 3.1.1 DISCONNECT have no body")
    void emptyPacketsHaveNoBody() {
        assertRejected(MALFORMED_PACKET, "has no Variable Header and no Payload", "C0 01 00", V3_1_1);
        assertRejected(MALFORMED_PACKET, "has no Variable Header and no Payload", "D0 01 00", V5);
        assertRejected(MALFORMED_PACKET, "has no Variable Header and no Payload", "E0 01 00", V3_1_1);
    }

    // --- UTF-8 Encoded Strings, in an UNSUBSCRIBE Topic Filter ---

    private static String unsubscribe(String filterBytes) {
        int n = DecoderFixtures.hex(filterBytes).length;
        return String.format("A2 %02X 00 01 00 %02X %s", 4 + n, n, filterBytes);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"C3 28", "C0 AF", "E0 80 AF", "F0 80 80 AF", "F4 90 80 80", "80", "E2 82", "61 FF", "F8 88 80 80 80"})
    @DisplayName("[MQTT-1.5.3-1] a UTF-8 string must be well-formed")
    void mqtt_1_5_3_1_illFormedUtf8(String bytes) {
        assertRejected(MALFORMED_PACKET, "[MQTT-1.5.3-1]) ill-formed UTF-8", unsubscribe(bytes), V3_1_1);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ED A0 80", "ED BF BF", "61 ED B0 80"})
    @DisplayName("[MQTT-1.5.3-1] a UTF-8 string must not encode surrogates U+D800..U+DFFF")
    void mqtt_1_5_3_1_surrogates(String bytes) {
        assertRejected(MALFORMED_PACKET, "[MQTT-1.5.3-1]) encoded surrogate", unsubscribe(bytes), V3_1_1);
    }

    @Test
    @DisplayName("[MQTT-1.5.3-2] a UTF-8 string must not contain U+0000")
    void mqtt_1_5_3_2_nullCharacter() {
        assertRejected(MALFORMED_PACKET, "[MQTT-1.5.3-2]", unsubscribe("61 00 62"), V3_1_1);
        assertRejected(MALFORMED_PACKET, "[MQTT-1.5.3-2]", "10 0E " + MQTT + " 04 02 00 3C 00 02 63 00", V3_1_1); // in the ClientID
    }

    // --- Packet Identifier ---

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"32 07 00 03 61 2F 62 00 00", "40 02 00 00", "50 02 00 00", "62 02 00 00", "70 02 00 00",
            "82 06 00 00 00 01 61 00", "90 03 00 00 00", "A2 05 00 00 00 01 61", "B0 02 00 00"})
    @DisplayName("[MQTT-2.3.1-1] a Packet Identifier must be non-zero")
    void mqtt_2_3_1_1_packetIdentifierZero(String packet) {
        assertRejected(PROTOCOL_ERROR, "[MQTT-2.3.1-1]", packet, V3_1_1);
    }

    // --- PUBLISH ---

    @Test
    @DisplayName("[MQTT-3.3.1-4] PUBLISH must not have QoS 3")
    void mqtt_3_3_1_4_qos3() {
        assertRejected(MALFORMED_PACKET, "[MQTT-3.3.1-4]", "36 07 00 03 61 2F 62 00 01", V3_1_1);
    }

    @Test
    @DisplayName("[MQTT-3.3.1-2] DUP must be 0 at QoS 0")
    void mqtt_3_3_1_2_dupAtQos0() {
        assertRejected(MALFORMED_PACKET, "[MQTT-3.3.1-2]", "38 05 00 03 61 2F 62", V3_1_1);
    }

    @Test
    @DisplayName("[MQTT-3.3.2-2] a Topic Name must not contain wildcards")
    void mqtt_3_3_2_2_wildcardInTopicName() {
        assertRejected(MALFORMED_PACKET, "[MQTT-3.3.2-2]", "30 05 00 03 61 2F 2B", V3_1_1);
        assertRejected(TOPIC_NAME_INVALID, "[MQTT-3.3.2-2]", "30 06 00 03 61 2F 23 00", V5);
        assertRejected(TOPIC_NAME_INVALID, "[MQTT-3.3.2-2]", "30 06 00 03 61 2B 62 00", V5);
    }

    @Test
    @DisplayName("[MQTT-4.7.3-1] a Topic Name must be at least one character long")
    void mqtt_4_7_3_1_emptyTopicName() {
        assertRejected(MALFORMED_PACKET, "[MQTT-4.7.3-1]", "30 02 00 00", V3_1_1);
        assertRejected(MALFORMED_PACKET, "[MQTT-4.7.3-1]", "30 03 00 00 41", V3_1);
    }

    @Test
    @DisplayName("3.3.2.1 MQTT 5: a zero length Topic Name without a Topic Alias is a Protocol Error")
    void v5_3_3_2_1_emptyTopicWithoutAlias() {
        assertRejected(PROTOCOL_ERROR, "3.3.2.1", "30 03 00 00 00", V5);
    }

    @Test
    @DisplayName("[MQTT-3.3.2-8] a Topic Alias of 0 is not permitted")
    void mqtt_3_3_2_8_topicAliasZero() {
        assertRejected(TOPIC_ALIAS_INVALID, "[MQTT-3.3.2-8]", "30 06 00 00 03 23 00 00", V5);
        assertRejected(TOPIC_ALIAS_INVALID, "[MQTT-3.3.2-8]", "30 07 00 01 61 03 23 00 00", V5);
    }

    // --- CONNECT ---

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"10 0E " + MQTT + " 03 02 00 3C 00 02 63 31", // "MQTT" with level 3
            "10 10 00 06 4D 51 49 73 64 70 04 02 00 3C 00 02 63 31", // "MQIsdp" with level 4
            "10 0E 00 04 4D 51 54 58 04 02 00 3C 00 02 63 31"}) // "MQTX"
    @DisplayName("[MQTT-3.1.2-1] the Protocol Name must be MQTT (levels 4, 5) or MQIsdp (level 3)")
    void mqtt_3_1_2_1_protocolName(String packet) {
        assertRejected(UNSUPPORTED_PROTOCOL_VERSION, "[MQTT-3.1.2-1]", packet, null);
    }

    @ParameterizedTest(name = "level {0}")
    @ValueSource(strings = {"00", "02", "06", "84"})
    @DisplayName("[MQTT-3.1.2-2] an unsupported Protocol Level is refused")
    void mqtt_3_1_2_2_protocolLevel(String level) {
        assertRejected(UNSUPPORTED_PROTOCOL_VERSION, "[MQTT-3.1.2-2]", "10 0E " + MQTT + " " + level + " 02 00 3C 00 02 63 31", null);
    }

    @Test
    @DisplayName("[MQTT-3.1.2-3] the reserved Connect Flag must be 0")
    void mqtt_3_1_2_3_reservedConnectFlag() {
        assertRejected(MALFORMED_PACKET, "[MQTT-3.1.2-3]", "10 0E " + MQTT + " 04 03 00 3C 00 02 63 31", null);
        assertRejected(MALFORMED_PACKET, "[MQTT-3.1.2-3]", "10 0F " + MQTT + " 05 03 00 3C 00 00 02 63 31", null);
    }

    @Test
    @DisplayName("[MQTT-3.1.2-13] Will QoS must be 0 when the Will Flag is 0")
    void mqtt_3_1_2_13_willQosWithoutWill() {
        assertRejected(MALFORMED_PACKET, "[MQTT-3.1.2-13]", "10 0E " + MQTT + " 04 0A 00 3C 00 02 63 31", null);
    }

    @Test
    @DisplayName("[MQTT-3.1.2-14] Will QoS must not be 3")
    void mqtt_3_1_2_14_willQos3() {
        assertRejected(MALFORMED_PACKET, "[MQTT-3.1.2-14]", "10 15 " + MQTT + " 04 1E 00 3C 00 02 63 31 00 03 61 2F 62 00 00", null);
    }

    @Test
    @DisplayName("[MQTT-3.1.2-15] Will Retain must be 0 when the Will Flag is 0")
    void mqtt_3_1_2_15_willRetainWithoutWill() {
        assertRejected(MALFORMED_PACKET, "[MQTT-3.1.2-15]", "10 0E " + MQTT + " 04 22 00 3C 00 02 63 31", null);
    }

    @Test
    @DisplayName("[MQTT-3.1.2-9] with the Will Flag set, Will Topic and Will Message must be present")
    void mqtt_3_1_2_9_willFieldsMissing() {
        assertRejected(MALFORMED_PACKET, "Will Topic length runs past the end", "10 0E " + MQTT + " 04 06 00 3C 00 02 63 31", null);
    }

    @Test
    @DisplayName("[MQTT-3.1.2-19] with the User Name Flag set, a User Name must be present")
    void mqtt_3_1_2_19_userNameMissing() {
        assertRejected(MALFORMED_PACKET, "User Name length runs past the end", "10 0E " + MQTT + " 04 82 00 3C 00 02 63 31", null);
    }

    @Test
    @DisplayName("[MQTT-3.1.2-22] 3.1.1: the Password Flag must be 0 when the User Name Flag is 0")
    void mqtt_3_1_2_22_passwordWithoutUserName() {
        assertRejected(MALFORMED_PACKET, "[MQTT-3.1.2-22]", "10 13 " + MQTT + " 04 42 00 3C 00 02 63 31 00 03 70 77 64", null);
    }

    @Test
    @DisplayName("[MQTT-3.3.2-2] a Will Topic is a Topic Name: no wildcards")
    void mqtt_3_3_2_2_wildcardInWillTopic() {
        assertRejected(MALFORMED_PACKET, "[MQTT-3.3.2-2] Will Topic", "10 15 " + MQTT + " 04 06 00 3C 00 02 63 31 00 03 61 2F 23 00 00", null);
    }

    // --- CONNACK ---

    @Test
    @DisplayName("[MQTT-3.2.2-1] Connect Acknowledge Flags bits 7-1 are reserved")
    void mqtt_3_2_2_1_connAckReservedFlags() {
        assertRejected(MALFORMED_PACKET, "[MQTT-3.2.2-1]", "20 02 02 00", V3_1_1);
        assertRejected(MALFORMED_PACKET, "[MQTT-3.2.2-1]", "20 03 80 00 00", V5);
    }

    @Test
    @DisplayName("3.2.2.3 3.1.1: Connect Return Codes 6-255 are reserved")
    void connectReturnCodeReserved() {
        assertRejected(MALFORMED_PACKET, "Connect Return Code", "20 02 00 06", V3_1_1);
        assertRejected(MALFORMED_PACKET, "Connect Return Code", "20 02 00 80", V3_1_1);
    }

    @Test
    @DisplayName("[MQTT-3.2.2-4] Session Present must be 0 with a refusal (MQTT 5: [MQTT-3.2.2-6])")
    void mqtt_3_2_2_4_sessionPresentWithRefusal() {
        assertRejected(PROTOCOL_ERROR, "[MQTT-3.2.2-4]", "20 02 01 05", V3_1_1);
        assertRejected(PROTOCOL_ERROR, "[MQTT-3.2.2-4]", "20 03 01 87 00", V5);
    }

    @Test
    @DisplayName("[MQTT-3.2.2-8] MQTT 5 CONNACK must use a Connect Reason Code")
    void mqtt_3_2_2_8_connAckReasonCode() {
        assertRejected(MALFORMED_PACKET, "[MQTT-3.2.2-8]", "20 03 00 04 00", V5);
        assertRejected(MALFORMED_PACKET, "[MQTT-3.2.2-8]", "20 03 00 8B 00", V5);
    }

    // --- SUBSCRIBE, SUBACK, UNSUBSCRIBE, UNSUBACK ---

    @Test
    @DisplayName("[MQTT-3.8.3-3] SUBSCRIBE must contain at least one Topic Filter (MQTT 5: [MQTT-3.8.3-2])")
    void mqtt_3_8_3_3_subscribeWithoutFilters() {
        assertRejected(PROTOCOL_ERROR, "[MQTT-3.8.3-3]", "82 02 00 01", V3_1_1);
        assertRejected(PROTOCOL_ERROR, "[MQTT-3.8.3-3]", "82 03 00 01 00", V5);
    }

    @Test
    @DisplayName("[MQTT-3-8.3-4] 3.1.1: Requested QoS 3 or reserved bits set is malformed")
    void mqtt_3_8_3_4_v311RequestedQos() {
        assertRejected(MALFORMED_PACKET, "[MQTT-3-8.3-4]", "82 06 00 01 00 01 61 03", V3_1_1);
        assertRejected(MALFORMED_PACKET, "[MQTT-3-8.3-4]", "82 06 00 01 00 01 61 04", V3_1_1);
        assertRejected(MALFORMED_PACKET, "[MQTT-3-8.3-4]", "82 06 00 01 00 01 61 80", V3_1);
    }

    @Test
    @DisplayName("[MQTT-3.8.3-5] MQTT 5: reserved bits 7-6 of the Subscription Options must be 0")
    void mqtt_3_8_3_5_v5ReservedOptionBits() {
        assertRejected(MALFORMED_PACKET, "[MQTT-3.8.3-5]", "82 07 00 01 00 00 01 61 40", V5);
        assertRejected(MALFORMED_PACKET, "[MQTT-3.8.3-5]", "82 07 00 01 00 00 01 61 80", V5);
    }

    @Test
    @DisplayName("3.8.3.1 MQTT 5: Maximum QoS 3 is a Protocol Error")
    void v5_3_8_3_1_maximumQos3() {
        assertRejected(PROTOCOL_ERROR, "Maximum QoS field has the value 3", "82 07 00 01 00 00 01 61 03", V5);
    }

    @Test
    @DisplayName("3.8.3.1 MQTT 5: Retain Handling 3 is a Protocol Error")
    void v5_3_8_3_1_retainHandling3() {
        assertRejected(PROTOCOL_ERROR, "Retain Handling value of 3", "82 07 00 01 00 00 01 61 30", V5);
    }

    @Test
    @DisplayName("[MQTT-3.8.3-4] MQTT 5: No Local on a Shared Subscription is a Protocol Error")
    void mqtt_3_8_3_4_v5NoLocalOnSharedSubscription() {
        assertRejected(PROTOCOL_ERROR, "[MQTT-3.8.3-4]", "82 10 00 01 00 00 0A 24 73 68 61 72 65 2F 67 2F 61 04", V5);
    }

    @Test
    @DisplayName("[MQTT-4.7.3-1] a Topic Filter must be at least one character long")
    void mqtt_4_7_3_1_emptyTopicFilter() {
        assertRejected(MALFORMED_PACKET, "[MQTT-4.7.3-1]", "82 05 00 01 00 00 00", V3_1_1);
        assertRejected(MALFORMED_PACKET, "[MQTT-4.7.3-1]", "A2 04 00 01 00 00", V3_1_1);
        assertRejected(MALFORMED_PACKET, "[MQTT-4.7.3-1]", "82 06 00 01 00 00 00 00", V5);
    }

    @Test
    @DisplayName("[MQTT-3.10.3-2] UNSUBSCRIBE must contain at least one Topic Filter")
    void mqtt_3_10_3_2_unsubscribeWithoutFilters() {
        assertRejected(PROTOCOL_ERROR, "[MQTT-3.10.3-2]", "A2 02 00 01", V3_1_1);
        assertRejected(PROTOCOL_ERROR, "[MQTT-3.10.3-2]", "A2 03 00 01 00", V5);
    }

    @Test
    @DisplayName("[MQTT-3.9.3-2] SUBACK must use a SUBACK return/Reason Code")
    void mqtt_3_9_3_2_subAckCodes() {
        assertRejected(MALFORMED_PACKET, "[MQTT-3.9.3-2]", "90 03 00 01 03", V3_1_1);
        assertRejected(MALFORMED_PACKET, "[MQTT-3.9.3-2]", "90 03 00 01 8F", V3_1_1); // MQTT 5 only
        assertRejected(MALFORMED_PACKET, "[MQTT-3.9.3-2]", "90 04 00 01 00 10", V5);
    }

    @Test
    @DisplayName("[MQTT-3.8.4-5] SUBACK carries one code per Topic Filter, so at least one")
    void mqtt_3_8_4_5_subAckWithoutCodes() {
        assertRejected(PROTOCOL_ERROR, "[MQTT-3.8.4-5]", "90 02 00 01", V3_1_1);
        assertRejected(PROTOCOL_ERROR, "[MQTT-3.8.4-5]", "90 03 00 01 00", V5);
    }

    @Test
    @DisplayName("[MQTT-3.11.3-2] MQTT 5 UNSUBACK must use an Unsubscribe Reason Code")
    void mqtt_3_11_3_2_unsubAckCodes() {
        assertRejected(MALFORMED_PACKET, "[MQTT-3.11.3-2]", "B0 04 00 01 00 01", V5);
        assertRejected(PROTOCOL_ERROR, "[MQTT-3.11.3-1]", "B0 03 00 01 00", V5); // none at all
    }

    // --- MQTT 5 acknowledgements, DISCONNECT and AUTH ---

    @Test
    @DisplayName("[MQTT-3.4.2-1] PUBACK must use a PUBACK Reason Code")
    void mqtt_3_4_2_1_pubAckReasonCode() {
        assertRejected(MALFORMED_PACKET, "[MQTT-3.4.2-1]", "40 03 00 01 92", V5);
    }

    @Test
    @DisplayName("[MQTT-3.5.2-1] PUBREC must use a PUBREC Reason Code")
    void mqtt_3_5_2_1_pubRecReasonCode() {
        assertRejected(MALFORMED_PACKET, "[MQTT-3.5.2-1]", "50 03 00 01 01", V5);
    }

    @Test
    @DisplayName("[MQTT-3.6.2-1] PUBREL must use a PUBREL Reason Code")
    void mqtt_3_6_2_1_pubRelReasonCode() {
        assertRejected(MALFORMED_PACKET, "[MQTT-3.6.2-1]", "62 03 00 01 10", V5);
    }

    @Test
    @DisplayName("[MQTT-3.7.2-1] PUBCOMP must use a PUBCOMP Reason Code")
    void mqtt_3_7_2_1_pubCompReasonCode() {
        assertRejected(MALFORMED_PACKET, "[MQTT-3.7.2-1]", "70 03 00 01 80", V5);
    }

    @Test
    @DisplayName("[MQTT-3.14.2-1] DISCONNECT must use a Disconnect Reason Code")
    void mqtt_3_14_2_1_disconnectReasonCode() {
        assertRejected(MALFORMED_PACKET, "[MQTT-3.14.2-1]", "E0 01 05", V5);
        assertRejected(MALFORMED_PACKET, "[MQTT-3.14.2-1]", "E0 01 84", V5);
    }

    @Test
    @DisplayName("[MQTT-3.15.2-1] AUTH must use an Authenticate Reason Code")
    void mqtt_3_15_2_1_authReasonCode() {
        assertRejected(MALFORMED_PACKET, "[MQTT-3.15.2-1]", "F0 01 01", V5);
    }

    @Test
    @DisplayName("3.15.2.2.2 It is a Protocol Error to omit the Authentication Method from AUTH")
    void v5_3_15_2_2_2_authWithoutMethod() {
        assertRejected(PROTOCOL_ERROR, "3.15.2.2.2", "F0 02 18 00", V5);
        assertRejected(PROTOCOL_ERROR, "3.15.2.2.2", "F0 01 19", V5);
    }
}
