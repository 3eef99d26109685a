package org.swarmmq.protocol.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.swarmmq.protocol.codec.EncoderAssertions.ascii;
import static org.swarmmq.protocol.codec.EncoderAssertions.assertEncodes;
import static org.swarmmq.protocol.codec.EncoderAssertions.bytes;
import static org.swarmmq.protocol.codec.EncoderAssertions.hex;
import static org.swarmmq.protocol.packets.ProtocolVersion.V3_1;
import static org.swarmmq.protocol.packets.ProtocolVersion.V3_1_1;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.swarmmq.protocol.Bytes;
import org.swarmmq.protocol.packets.Auth;
import org.swarmmq.protocol.packets.ConnAck;
import org.swarmmq.protocol.packets.Connect;
import org.swarmmq.protocol.packets.Disconnect;
import org.swarmmq.protocol.packets.Packet;
import org.swarmmq.protocol.packets.PingReq;
import org.swarmmq.protocol.packets.PingResp;
import org.swarmmq.protocol.packets.Properties;
import org.swarmmq.protocol.packets.Property;
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
import org.swarmmq.protocol.packets.UserProperty;
import org.swarmmq.protocol.packets.Will;

/**
 * MQTT 3.1 and 3.1.1 encoding against bytes captured from mosquitto and paho, and the fixed
 * header's RemainingLength at each width. MQTT 5 is in {@link EncoderV5Test}.
 */
class EncoderGoldenTest {
    static final Properties SOME_PROPERTIES = Properties.of(
            new Property(PropertyId.USER_PROPERTY, new UserProperty("k", "v")));

    /** Captured on the wire from mosquitto and paho. */
    static Stream<Arguments> captured() {
        return Stream.of(
                Arguments.of("PUBLISH QoS 1 '110' id 6 '123'", "32 0A 00 03 31 31 30 00 06 31 32 33",
                        Publish.of("110", 1, 6, Bytes.utf8("123")), V3_1_1),
                Arguments.of("PUBACK", "40 02 00 06", new PubAck(6), V3_1_1),
                Arguments.of("PUBREC", "50 02 00 07", new PubRec(7), V3_1_1),
                Arguments.of("PUBREL flags 0010 [MQTT-3.6.1-1]", "62 02 00 07", new PubRel(7), V3_1_1),
                Arguments.of("PUBCOMP", "70 02 00 07", new PubComp(7), V3_1_1),
                Arguments.of("SUBSCRIBE flags 0010 [MQTT-3.8.1-1]", "82 08 00 01 00 03 31 31 30 00",
                        new Subscribe(1, List.of(new Subscription("110", 0)), Properties.EMPTY), V3_1_1),
                Arguments.of("SUBACK", "90 03 00 01 00",
                        new SubAck(1, List.of(ReasonCode.SUCCESS), Properties.EMPTY), V3_1_1),
                Arguments.of("UNSUBSCRIBE flags 0010 [MQTT-3.10.1-1]", "A2 07 00 02 00 03 31 31 30",
                        new Unsubscribe(2, List.of("110"), Properties.EMPTY), V3_1_1),
                Arguments.of("UNSUBACK", "B0 02 00 02", new UnsubAck(2, List.of(), Properties.EMPTY), V3_1_1),
                Arguments.of("PINGREQ", "C0 00", PingReq.INSTANCE, V3_1_1),
                Arguments.of("PINGRESP", "D0 00", PingResp.INSTANCE, V3_1_1),
                Arguments.of("DISCONNECT", "E0 00", Disconnect.NORMAL, V3_1_1),
                Arguments.of("CONNACK accepted", "20 02 00 00", ConnAck.accepted(false), V3_1_1),
                Arguments.of("paho CONNECT", "10 1C 00 04 4D 51 54 54 04 02 00 3C 00 10 " + ascii("paho872285521941"),
                        Connect.of(V3_1_1, "paho872285521941", true, 60), V3_1_1),
                Arguments.of("MQTT 3.1 CONNECT 'MQIsdp' level 3",
                        "10 10 00 06 4D 51 49 73 64 70 03 02 00 3C 00 02 63 31",
                        Connect.of(V3_1, "c1", true, 60), V3_1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("captured")
    void capturedBytes(String name, String hex, Packet packet, ProtocolVersion v) {
        assertEncodes(hex, packet, v);
    }

    @Test
    @DisplayName("CONNECT flags: user name, password, will QoS 2, will flag, clean session; payload order [MQTT-3.1.3-1]")
    void connectWithWillAndCredentials() {
        Will will = new Will("w", Bytes.utf8("x"), 2, false, SOME_PROPERTIES); // Will Properties are MQTT 5 only
        Connect c = new Connect(V3_1_1, "c", true, 10, will, "u", Bytes.utf8("p"), SOME_PROPERTIES);
        assertEncodes("10 19 00 04 4D 51 54 54 04 D6 00 0A 00 01 63 00 01 77 00 01 78 00 01 75 00 01 70", c, V3_1_1);
    }

    @Test
    @DisplayName("CONNECT flag Will Retain, Will QoS 1, User Name alone, no clean session")
    void connectFlagsRetainQos1UserOnly() {
        Will will = new Will("w", Bytes.EMPTY, 1, true, Properties.EMPTY);
        Connect c = new Connect(V3_1_1, "", false, 0, will, "u", null, Properties.EMPTY);
        // 0x80 user | 0x20 will retain | 0x08 QoS 1 | 0x04 will flag; empty will message: length 00 00
        assertEncodes("10 14 00 04 4D 51 54 54 04 AC 00 00 00 00 00 01 77 00 00 00 01 75", c, V3_1_1);
    }

    @Test
    @DisplayName("CONNECT is written in its own version, whatever the connection's [MQTT-3.1.2-2]")
    void connectUsesItsOwnVersion() {
        Connect c = Connect.of(V3_1, "c1", true, 60);
        assertEquals(hex(PacketEncoder.encode(c, V3_1)), hex(PacketEncoder.encode(c, ProtocolVersion.V5)));
        assertEncodes("10 10 00 06 4D 51 49 73 64 70 03 02 00 3C 00 02 63 31", c, V3_1_1);
    }

    @Test
    @DisplayName("a 3.1.1 Password needs a User Name [MQTT-3.1.2-22]")
    void passwordWithoutUserName() {
        Connect c = new Connect(V3_1_1, "c", true, 0, null, null, Bytes.utf8("p"), Properties.EMPTY);
        assertThrows(IllegalArgumentException.class, () -> PacketEncoder.encode(c, V3_1_1));
        assertThrows(IllegalArgumentException.class, () -> PacketEncoder.encodedSize(c, V3_1_1));
    }

    @ParameterizedTest(name = "CONNACK {0} -> return code {1}")
    @CsvSource({
        "SUCCESS, 0", "UNSUPPORTED_PROTOCOL_VERSION, 1", "CLIENT_IDENTIFIER_NOT_VALID, 2", "SERVER_UNAVAILABLE, 3",
        "SERVER_BUSY, 3", "SERVER_SHUTTING_DOWN, 3", "BANNED, 3", "UNSPECIFIED_ERROR, 3", "QUOTA_EXCEEDED, 3",
        "BAD_USER_NAME_OR_PASSWORD, 4", "NOT_AUTHORIZED, 5"
    })
    void connAckReturnCodes(ReasonCode code, int returnCode) {
        assertEncodes(String.format("20 02 00 %02X", returnCode), ConnAck.refused(code), V3_1_1);
        assertEncodes(String.format("20 02 00 %02X", returnCode), ConnAck.refused(code), V3_1);
    }

    @Test
    @DisplayName("CONNACK refuses a code with no return code: CONTINUE_AUTHENTICATION is not a refusal")
    void connAckWithoutReturnCode() {
        assertThrows(IllegalArgumentException.class,
                () -> PacketEncoder.encode(ConnAck.refused(ReasonCode.CONTINUE_AUTHENTICATION), V3_1_1));
    }

    @Test
    @DisplayName("CONNACK Session Present: 3.1.1 writes it, 0 with a refusal [MQTT-3.2.2-4], 3.1 reserves the byte")
    void connAckSessionPresent() {
        assertEncodes("20 02 01 00", ConnAck.accepted(true), V3_1_1);
        assertEncodes("20 02 00 05", new ConnAck(true, ReasonCode.NOT_AUTHORIZED, Properties.EMPTY), V3_1_1);
        assertEncodes("20 02 00 00", ConnAck.accepted(true), V3_1);
    }

    @Test
    @DisplayName("SUBACK 3.1.1 return codes: granted QoS 0/1/2, any error 0x80 (3.9.3)")
    void subAckReturnCodes() {
        SubAck s = new SubAck(10, List.of(ReasonCode.SUCCESS, ReasonCode.GRANTED_QOS_1, ReasonCode.GRANTED_QOS_2,
                ReasonCode.NOT_AUTHORIZED, ReasonCode.QUOTA_EXCEEDED, ReasonCode.UNSPECIFIED_ERROR), SOME_PROPERTIES);
        assertEncodes("90 08 00 0A 00 01 02 80 80 80", s, V3_1_1);
        SubAck notASubAckCode = new SubAck(10, List.of(ReasonCode.NO_SUBSCRIPTION_EXISTED), Properties.EMPTY);
        assertThrows(IllegalArgumentException.class, () -> PacketEncoder.encode(notASubAckCode, V3_1_1));
    }

    @Test
    @DisplayName("SUBSCRIBE 3.1.1 options are the QoS alone, reserved bits 0 [MQTT-3.8.3-4]")
    void subscribeOptionsV311() {
        Subscribe s = new Subscribe(10, List.of(new Subscription("a/#", 2, true, true, 2), new Subscription("b", 1)),
                SOME_PROPERTIES);
        assertEncodes("82 0C 00 0A 00 03 61 2F 23 02 00 01 62 01", s, V3_1_1);
    }

    @Test
    @DisplayName("SUBSCRIBE and UNSUBSCRIBE need a Topic Filter [MQTT-3.8.3-3] [MQTT-3.10.3-2]")
    void emptySubscribeAndUnsubscribe() {
        assertThrows(IllegalArgumentException.class,
                () -> PacketEncoder.encode(new Subscribe(1, List.of(), Properties.EMPTY), V3_1_1));
        assertThrows(IllegalArgumentException.class,
                () -> PacketEncoder.encodedSize(new Unsubscribe(1, List.of(), Properties.EMPTY), V3_1_1));
    }

    @Test
    @DisplayName("3.1.1 drops what only MQTT 5 has: properties, ack reason codes, UNSUBACK codes, DISCONNECT reason")
    void v5FieldsDroppedInV311() {
        Publish withProps = new Publish(false, 1, false, "110", 6, Bytes.utf8("123"), SOME_PROPERTIES);
        assertEncodes("32 0A 00 03 31 31 30 00 06 31 32 33", withProps, V3_1_1);
        assertEncodes("40 02 00 06", new PubAck(6, ReasonCode.QUOTA_EXCEEDED, SOME_PROPERTIES), V3_1_1);
        assertEncodes("50 02 00 07", new PubRec(7, ReasonCode.NO_MATCHING_SUBSCRIBERS, Properties.EMPTY), V3_1_1);
        assertEncodes("62 02 00 07", new PubRel(7, ReasonCode.PACKET_IDENTIFIER_NOT_FOUND, Properties.EMPTY), V3_1);
        assertEncodes("70 02 00 07", new PubComp(7, ReasonCode.SUCCESS, SOME_PROPERTIES), V3_1_1);
        assertEncodes("B0 02 00 03", new UnsubAck(3, List.of(ReasonCode.NO_SUBSCRIPTION_EXISTED), SOME_PROPERTIES), V3_1_1);
        assertEncodes("E0 00", new Disconnect(ReasonCode.SESSION_TAKEN_OVER, SOME_PROPERTIES), V3_1_1);
        assertEncodes("20 02 00 00", new ConnAck(false, ReasonCode.SUCCESS, SOME_PROPERTIES), V3_1_1);
    }

    @Test
    @DisplayName("AUTH cannot be written before MQTT 5")
    void authBeforeV5() {
        Auth auth = new Auth(ReasonCode.SUCCESS, Properties.EMPTY);
        assertThrows(IllegalArgumentException.class, () -> PacketEncoder.encode(auth, V3_1_1));
        assertThrows(IllegalArgumentException.class, () -> PacketEncoder.encodedSize(auth, V3_1));
    }

    @Test
    @DisplayName("PUBLISH fixed header: DUP bit 3, QoS bits 2-1, RETAIN bit 0; no Packet Identifier at QoS 0 [MQTT-2.2.1-2]")
    void publishFlags() {
        assertEncodes("3D 06 00 01 61 00 05 7A",
                new Publish(true, 2, true, "a", 5, Bytes.utf8("z"), Properties.EMPTY), V3_1_1);
        assertEncodes("31 03 00 01 61", new Publish(false, 0, true, "a", 0, Bytes.EMPTY, Properties.EMPTY), V3_1_1);
        assertEncodes("34 05 00 01 61 FF FF", Publish.of("a", 2, 0xFFFF, Bytes.EMPTY), V3_1);
    }

    @Test
    @DisplayName("PUBLISH topic with 2-, 3- and 4-byte UTF-8 characters (1.5.4)")
    void publishUtf8Topic() {
        assertEncodes("30 0D 00 0B C3 A4 2F E2 82 AC 2F F0 9F 98 80", Publish.of("ä/€/😀", 0, 0, Bytes.EMPTY), V3_1_1);
    }

    @ParameterizedTest(name = "RemainingLength {0} -> {1}")
    @CsvSource({"3, 03", "64, 40", "127, 7F", "128, 80 01", "321, C1 02", "16383, FF 7F", "16384, 80 80 01",
                "2097152, 80 80 80 01"})
    @DisplayName("RemainingLength as a Variable Byte Integer of 1 to 4 bytes (2.2.3)")
    void remainingLength(int remainingLength, String encoded) {
        // QoS 0, topic "a" (3 bytes) and a payload making up the rest
        Publish p = Publish.of("a", 0, 0, Bytes.wrap(new byte[remainingLength - 3]));
        byte[] header = bytes("30 " + encoded + " 00 01 61");
        byte[] out = PacketEncoder.encode(p, V3_1_1);
        assertEquals(hex(header), hex(Arrays.copyOf(out, header.length)));
        assertEquals(header.length - 3 + remainingLength, out.length);
        assertEquals(out.length, PacketEncoder.encodedSize(p, V3_1_1));
    }

    @Test
    @DisplayName("the PUBLISH payload is exactly the bytes of its slice, copied into the output")
    void payloadSlice() {
        byte[] big = new byte[100];
        for (int i = 0; i < big.length; i++) big[i] = (byte) i;
        Publish p = Publish.of("t", 0, 0, Bytes.wrap(big, 10, 5));
        assertEncodes("30 08 00 01 74 0A 0B 0C 0D 0E", p, V3_1_1);
        assertArrayEquals(bytes("0A 0B 0C 0D 0E"), Arrays.copyOfRange(big, 10, 15)); // the source is untouched
    }
}
