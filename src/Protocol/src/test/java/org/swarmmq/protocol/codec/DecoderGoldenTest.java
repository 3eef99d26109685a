package org.swarmmq.protocol.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.swarmmq.protocol.codec.DecoderFixtures.assertRejected;
import static org.swarmmq.protocol.codec.DecoderFixtures.decode;
import static org.swarmmq.protocol.codec.DecoderFixtures.frame;
import static org.swarmmq.protocol.codec.DecoderFixtures.hex;
import static org.swarmmq.protocol.packets.ProtocolVersion.V3_1;
import static org.swarmmq.protocol.packets.ProtocolVersion.V3_1_1;
import static org.swarmmq.protocol.packets.ProtocolVersion.V5;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.swarmmq.protocol.Bytes;
import org.swarmmq.protocol.packets.Auth;
import org.swarmmq.protocol.packets.ConnAck;
import org.swarmmq.protocol.packets.Connect;
import org.swarmmq.protocol.packets.Disconnect;
import org.swarmmq.protocol.packets.PingReq;
import org.swarmmq.protocol.packets.PingResp;
import org.swarmmq.protocol.packets.Properties;
import org.swarmmq.protocol.packets.Property;
import org.swarmmq.protocol.packets.PropertyId;
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
 * Captured (3.1.1, mosquitto and paho) and hand-built (3.1, 5.0) packets decode to exactly these
 * records. The MQTT 5 bytes follow the figures of the spec; '|' separates fields.
 */
class DecoderGoldenTest {
    private static Property p(PropertyId id, Object value) {
        return new Property(id, value);
    }

    // --- MQTT 3.1.1, captured from mosquitto and paho ---

    @Test
    void publishQos1() {
        assertEquals(new Publish(false, 1, false, "110", 6, Bytes.utf8("123"), Properties.EMPTY),
                decode("32 0A | 00 03 31 31 30 | 00 06 | 31 32 33", V3_1_1));
    }

    @Test
    void publishAcknowledgements() {
        assertEquals(new PubAck(6), decode("40 02 00 06", V3_1_1));
        assertEquals(new PubRec(7), decode("50 02 00 07", V3_1_1));
        assertEquals(new PubRel(7), decode("62 02 00 07", V3_1_1));
        assertEquals(new PubComp(7), decode("70 02 00 07", V3_1_1));
    }

    @Test
    void subscribeAndSubAck() {
        assertEquals(new Subscribe(1, List.of(new Subscription("110", 0)), Properties.EMPTY),
                decode("82 08 | 00 01 | 00 03 31 31 30 00", V3_1_1));
        assertEquals(new SubAck(1, List.of(ReasonCode.SUCCESS), Properties.EMPTY), decode("90 03 | 00 01 | 00", V3_1_1));
    }

    @Test
    void subAckReturnCodes() {
        assertEquals(new SubAck(3, List.of(ReasonCode.SUCCESS, ReasonCode.GRANTED_QOS_1, ReasonCode.GRANTED_QOS_2,
                        ReasonCode.UNSPECIFIED_ERROR), Properties.EMPTY),
                decode("90 06 | 00 03 | 00 01 02 80", V3_1_1));
    }

    @Test
    void unsubscribeAndUnsubAck() {
        assertEquals(new Unsubscribe(2, List.of("110"), Properties.EMPTY), decode("A2 07 | 00 02 | 00 03 31 31 30", V3_1_1));
        assertEquals(new UnsubAck(2, List.of(), Properties.EMPTY), decode("B0 02 00 02", V3_1_1));
    }

    @Test
    void pingAndDisconnect() {
        assertSame(PingReq.INSTANCE, decode("C0 00", V3_1_1));
        assertSame(PingResp.INSTANCE, decode("D0 00", V3_1_1));
        assertEquals(Disconnect.NORMAL, decode("E0 00", V3_1_1));
    }

    @Test
    void connAck311() {
        assertEquals(ConnAck.accepted(false), decode("20 02 00 00", V3_1_1));
        assertEquals(ConnAck.accepted(true), decode("20 02 01 00", V3_1_1));
    }

    @ParameterizedTest(name = "Connect Return Code {0} is {1}")
    @CsvSource({"01, UNSUPPORTED_PROTOCOL_VERSION", "02, CLIENT_IDENTIFIER_NOT_VALID", "03, SERVER_UNAVAILABLE",
            "04, BAD_USER_NAME_OR_PASSWORD", "05, NOT_AUTHORIZED"})
    void connAck311Refusals(String code, ReasonCode expected) {
        assertEquals(ConnAck.refused(expected), decode("20 02 00 " + code, V3_1_1));
    }

    @Test
    void pahoConnect311() {
        String paho = "10 1C | 00 04 4D 51 54 54 | 04 | 02 | 00 3C | 00 10 70 61 68 6F 38 37 32 32 38 35 35 32 31 39 34 31";
        assertEquals(Connect.of(V3_1_1, "paho872285521941", true, 60), decode(paho, null));
    }

    // --- MQTT 3.1 ---

    @Test
    void connect31WithUserNameAndPassword() {
        // "MQIsdp", level 3, flags C2 (user name, password, clean session), keep alive 60,
        // client id "test", user name "u", password "p"
        String bytes = "10 18 | 00 06 4D 51 49 73 64 70 | 03 | C2 | 00 3C | 00 04 74 65 73 74 | 00 01 75 | 00 01 70";
        assertEquals(new Connect(V3_1, "test", true, 60, null, "u", Bytes.utf8("p"), Properties.EMPTY), decode(bytes, null));
    }

    // --- MQTT 5.0, built by hand from the spec ---

    @Test
    void connectV5WithWillCredentialsAndProperties() {
        String bytes = "10 3E"
                + "| 00 04 4D 51 54 54 | 05 | EE | 00 3C" // MQTT 5; user, password, will retain, will QoS 1, will, clean
                + "| 0F | 11 00 00 00 78 | 21 00 14 | 26 00 01 61 00 01 62" // Session Expiry 120, Receive Max 20, a=b
                + "| 00 03 63 69 64" // client id "cid"
                + "| 07 | 18 00 00 00 0A | 01 01" // Will Properties: Will Delay 10, Payload Format 1
                + "| 00 05 77 2F 74 6F 70" // Will Topic "w/top"
                + "| 00 03 62 79 65" // Will Payload "bye"
                + "| 00 04 75 73 65 72" // User Name "user"
                + "| 00 03 01 02 03"; // Password
        Properties properties = Properties.of(p(PropertyId.SESSION_EXPIRY_INTERVAL, 120L),
                p(PropertyId.RECEIVE_MAXIMUM, 20), p(PropertyId.USER_PROPERTY, new UserProperty("a", "b")));
        Will will = new Will("w/top", Bytes.utf8("bye"), 1, true,
                Properties.of(p(PropertyId.WILL_DELAY_INTERVAL, 10L), p(PropertyId.PAYLOAD_FORMAT_INDICATOR, 1)));
        assertEquals(new Connect(V5, "cid", true, 60, will, "user", Bytes.wrap(hex("01 02 03")), properties),
                decode(bytes, null));
    }

    @Test
    void connectV5PasswordWithoutUserName() {
        // 3.1.2.9: MQTT 5 allows a Password without a User Name
        String bytes = "10 13 | 00 04 4D 51 54 54 | 05 | 42 | 00 00 | 00 | 00 01 63 | 00 03 70 77 64";
        assertEquals(new Connect(V5, "c", true, 0, null, null, Bytes.utf8("pwd"), Properties.EMPTY), decode(bytes, null));
    }

    @Test
    void connAckV5() {
        assertEquals(ConnAck.accepted(false), decode("20 03 00 00 00", V5));
        assertEquals(ConnAck.refused(ReasonCode.NOT_AUTHORIZED), decode("20 03 00 87 00", V5));
        String withProperties = "20 11 | 01 00 | 0E | 21 00 0A | 24 01 | 12 00 03 61 62 63 | 22 00 05";
        assertEquals(new ConnAck(true, ReasonCode.SUCCESS, Properties.of(p(PropertyId.RECEIVE_MAXIMUM, 10),
                        p(PropertyId.MAXIMUM_QOS, 1), p(PropertyId.ASSIGNED_CLIENT_IDENTIFIER, "abc"),
                        p(PropertyId.TOPIC_ALIAS_MAXIMUM, 5))),
                decode(withProperties, V5));
    }

    @Test
    void publishV5WithProperties() {
        String bytes = "35 34" // QoS 2, RETAIN
                + "| 00 03 61 2F 62 | 12 34" // "a/b", packet id 0x1234
                + "| 2A | 01 01 | 02 00 00 0E 10 | 23 00 05 | 08 00 03 72 2F 78 | 09 00 02 CA FE"
                + "| 26 00 01 6B 00 02 76 31 | 26 00 01 6B 00 02 76 30" // k=v1 then k=v0: order kept
                + "| 0B 01 | 0B 80 01" // Subscription Identifiers 1 and 128
                + "| 68 69"; // payload "hi"
        Properties properties = Properties.of(p(PropertyId.PAYLOAD_FORMAT_INDICATOR, 1),
                p(PropertyId.MESSAGE_EXPIRY_INTERVAL, 3600L), p(PropertyId.TOPIC_ALIAS, 5),
                p(PropertyId.RESPONSE_TOPIC, "r/x"), p(PropertyId.CORRELATION_DATA, Bytes.wrap(hex("CA FE"))),
                p(PropertyId.USER_PROPERTY, new UserProperty("k", "v1")),
                p(PropertyId.USER_PROPERTY, new UserProperty("k", "v0")),
                p(PropertyId.SUBSCRIPTION_IDENTIFIER, 1), p(PropertyId.SUBSCRIPTION_IDENTIFIER, 128));
        Publish publish = (Publish) decode(bytes, V5);
        assertEquals(new Publish(false, 2, true, "a/b", 0x1234, Bytes.utf8("hi"), properties), publish);
        assertEquals(List.of(new UserProperty("k", "v1"), new UserProperty("k", "v0")), publish.properties().userProperties());
        assertEquals(List.of(1, 128), publish.properties().subscriptionIdentifiers());
    }

    @Test
    void publishV5EmptyTopicWithTopicAlias() {
        assertEquals(new Publish(false, 0, false, "", 0, Bytes.utf8("x"), Properties.of(p(PropertyId.TOPIC_ALIAS, 7))),
                decode("30 07 | 00 00 | 03 23 00 07 | 78", V5));
    }

    @Test
    void publishPayloadIsASliceOfTheFrameNotACopy() {
        Frame frame = frame("30 08 | 00 03 61 2F 62 | 41 42 43");
        Publish publish = (Publish) PacketDecoder.decode(frame, V3_1_1);
        assertEquals(Bytes.utf8("ABC"), publish.payload());
        frame.body()[6] = 'Z'; // nobody may do this; here it proves the payload shares the body
        assertEquals(Bytes.utf8("AZC"), publish.payload());
    }

    @Test
    void subscribeV5WithOptionsAndSubscriptionIdentifier() {
        String bytes = "82 1F | 00 0A"
                + "| 09 | 0B 2A | 26 00 01 78 00 01 79" // Subscription Identifier 42, x=y
                + "| 00 03 61 2F 2B | 2D" // "a/+": QoS 1, No Local, Retain As Published, Retain Handling 2
                + "| 00 0A 24 73 68 61 72 65 2F 67 2F 63 | 12"; // "$share/g/c": QoS 2, Retain Handling 1
        assertEquals(new Subscribe(10, List.of(new Subscription("a/+", 1, true, true, 2),
                        new Subscription("$share/g/c", 2, false, false, 1)),
                        Properties.of(p(PropertyId.SUBSCRIPTION_IDENTIFIER, 42), p(PropertyId.USER_PROPERTY, new UserProperty("x", "y")))),
                decode(bytes, V5));
    }

    @Test
    void subAckV5WithReasonString() {
        assertEquals(new SubAck(10, List.of(ReasonCode.GRANTED_QOS_1, ReasonCode.GRANTED_QOS_2, ReasonCode.UNSPECIFIED_ERROR,
                        ReasonCode.TOPIC_FILTER_INVALID), Properties.of(p(PropertyId.REASON_STRING, "ok"))),
                decode("90 0C | 00 0A | 05 1F 00 02 6F 6B | 01 02 80 8F", V5));
    }

    @Test
    void unsubscribeAndUnsubAckV5() {
        assertEquals(new Unsubscribe(12, List.of("a/#", "b"), Properties.EMPTY),
                decode("A2 0B | 00 0C | 00 | 00 03 61 2F 23 | 00 01 62", V5));
        assertEquals(new UnsubAck(11, List.of(ReasonCode.SUCCESS, ReasonCode.NO_SUBSCRIPTION_EXISTED), Properties.EMPTY),
                decode("B0 05 | 00 0B | 00 | 00 11", V5));
    }

    @Test
    void disconnectV5() {
        assertEquals(Disconnect.NORMAL, decode("E0 00", V5));
        assertEquals(Disconnect.of(ReasonCode.DISCONNECT_WITH_WILL_MESSAGE), decode("E0 01 04", V5));
        assertEquals(new Disconnect(ReasonCode.SESSION_TAKEN_OVER, Properties.of(p(PropertyId.REASON_STRING, "bye!"),
                        p(PropertyId.SESSION_EXPIRY_INTERVAL, 0L))),
                decode("E0 0E | 8E | 0C 1F 00 04 62 79 65 21 | 11 00 00 00 00", V5));
    }

    @Test
    void authV5() {
        assertEquals(new Auth(ReasonCode.SUCCESS, Properties.EMPTY), decode("F0 00", V5));
        assertEquals(new Auth(ReasonCode.CONTINUE_AUTHENTICATION, Properties.of(
                        p(PropertyId.AUTHENTICATION_METHOD, "SCRAM"), p(PropertyId.AUTHENTICATION_DATA, Bytes.wrap(hex("01 02"))))),
                decode("F0 0F | 18 | 0D 15 00 05 53 43 52 41 4D | 16 00 02 01 02", V5));
    }

    @Test
    void publishAcknowledgementShortFormsV5() {
        // 3.4.2.1: RemainingLength 2 is Success without properties; 3 is a Reason Code alone;
        // from 4 on a Property Length follows.
        assertEquals(new PubAck(5), decode("40 02 00 05", V5));
        assertEquals(new PubAck(5, ReasonCode.NO_MATCHING_SUBSCRIBERS, Properties.EMPTY), decode("40 03 00 05 10", V5));
        assertEquals(new PubAck(5, ReasonCode.NOT_AUTHORIZED, Properties.EMPTY), decode("40 04 00 05 87 00", V5));
        assertEquals(new PubAck(5, ReasonCode.QUOTA_EXCEEDED, Properties.of(p(PropertyId.REASON_STRING, "quota"))),
                decode("40 0C | 00 05 | 97 | 08 1F 00 05 71 75 6F 74 61", V5));
        assertEquals(new PubRec(7, ReasonCode.PACKET_IDENTIFIER_IN_USE, Properties.EMPTY), decode("50 03 00 07 91", V5));
        assertEquals(new PubRel(7, ReasonCode.PACKET_IDENTIFIER_NOT_FOUND, Properties.EMPTY), decode("62 03 00 07 92", V5));
        assertEquals(new PubComp(7), decode("70 04 00 07 00 00", V5));
    }

    @Test
    void fourByteUtf8DecodesToASurrogatePair() {
        // U+1F600 is F0 9F 98 80 in UTF-8: valid, though Java holds it as two chars
        assertEquals(new Unsubscribe(1, List.of("\uD83D\uDE00"), Properties.EMPTY), decode("A2 08 | 00 01 | 00 04 F0 9F 98 80", V3_1_1));
    }

    /**
     * The seed's "MQTT 5 CONNECT" declares RemainingLength 26 (0x1A) but its fields take 20
     * bytes: the frame swallows the next 6 bytes (here two PINGREQs and a DISCONNECT) and the
     * decoder finds them left over after the Client Identifier.
     */
    @Test
    void seedConnectWithWrongRemainingLengthIsMalformed() {
        FrameReader reader = new FrameReader(1024);
        reader.feed(hex("10 1A 00 04 4D 51 54 54 05 02 00 3C 00 00 07 63 6C 69 65 6E 74 31 | C0 00 C0 00 E0 00"));
        Frame connect = reader.next();
        assertEquals(26, connect.remainingLength());
        assertEquals(null, reader.next());
        assertRejected(ReasonCode.MALFORMED_PACKET, () -> PacketDecoder.decode(connect, null));
    }
}
