package org.swarmmq.protocol.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.swarmmq.protocol.codec.EncoderAssertions.ascii;
import static org.swarmmq.protocol.codec.EncoderAssertions.assertEncodes;
import static org.swarmmq.protocol.codec.EncoderAssertions.hex;
import static org.swarmmq.protocol.packets.ProtocolVersion.V5;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
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

/** MQTT 5 encoding: every packet type, properties of every data type, and the short forms. */
class EncoderV5Test {
    static Property prop(PropertyId id, Object value) {
        return new Property(id, value);
    }

    static final Properties USER_KV = Properties.of(prop(PropertyId.USER_PROPERTY, new UserProperty("k", "v")));

    @Test
    @DisplayName("CONNACK captured from mosquitto: flags, reason code, empty properties (3.2.2)")
    void capturedConnAck() {
        assertEncodes("20 03 00 00 00", ConnAck.accepted(false), V5);
    }

    @Test
    @DisplayName("CONNECT captured: clean start, keep alive 60, Property Length 0, client id (3.1.2)")
    void capturedConnect() {
        assertEncodes("10 14 00 04 4D 51 54 54 05 02 00 3C 00 00 07 " + ascii("client1"),
                Connect.of(V5, "client1", true, 60), V5);
    }

    @Test
    @DisplayName("CONNECT with properties, Will Properties before the Will Topic, User Name, Password (3.1.3)")
    void connectWithEverything() {
        Will will = new Will("w", Bytes.utf8("x"), 1, true,
                Properties.of(prop(PropertyId.WILL_DELAY_INTERVAL, 30L)));
        Connect c = new Connect(V5, "c", false, 10, will, "u", Bytes.utf8("p"), Properties.of(
                prop(PropertyId.SESSION_EXPIRY_INTERVAL, 120L), prop(PropertyId.RECEIVE_MAXIMUM, 20)));
        assertEncodes("10 28 00 04 4D 51 54 54 05 EC 00 0A"
                + " 08 11 00 00 00 78 21 00 14" // Properties: Session Expiry 120, Receive Maximum 20
                + " 00 01 63" // Client Identifier
                + " 05 18 00 00 00 1E" // Will Properties: Will Delay Interval 30
                + " 00 01 77 00 01 78" // Will Topic, Will Payload
                + " 00 01 75 00 01 70", c, V5); // User Name, Password
    }

    @Test
    @DisplayName("CONNECT: MQTT 5 allows a Password without a User Name (3.1.2.9)")
    void passwordAlone() {
        Connect c = new Connect(V5, "c", true, 0, null, null, Bytes.wrap(new byte[] {1}), Properties.EMPTY);
        assertEncodes("10 11 00 04 4D 51 54 54 05 42 00 00 00 00 01 63 00 01 01", c, V5);
    }

    @Test
    @DisplayName("CONNACK with properties of string, two-byte, byte and four-byte types")
    void connAckWithProperties() {
        ConnAck a = new ConnAck(true, ReasonCode.SUCCESS, Properties.of(
                prop(PropertyId.ASSIGNED_CLIENT_IDENTIFIER, "id"), prop(PropertyId.SERVER_KEEP_ALIVE, 30),
                prop(PropertyId.MAXIMUM_QOS, 1), prop(PropertyId.MAXIMUM_PACKET_SIZE, 1024L)));
        assertEncodes("20 12 01 00 0F 12 00 02 69 64 13 00 1E 24 01 27 00 00 04 00", a, V5);
    }

    @Test
    @DisplayName("CONNACK refusal: reason code as is, Session Present 0 [MQTT-3.2.2-6]")
    void connAckRefused() {
        assertEncodes("20 03 00 87 00", new ConnAck(true, ReasonCode.NOT_AUTHORIZED, Properties.EMPTY), V5);
        assertEncodes("20 03 00 89 00", ConnAck.refused(ReasonCode.SERVER_BUSY), V5);
    }

    @Test
    @DisplayName("PUBLISH with a property of every data type, user properties kept in order [MQTT-3.3.2-18]")
    void publishWithEveryPropertyType() {
        Publish p = new Publish(false, 1, false, "t", 0x0102, Bytes.utf8("hi"), Properties.of(
                prop(PropertyId.PAYLOAD_FORMAT_INDICATOR, 1), // byte
                prop(PropertyId.MESSAGE_EXPIRY_INTERVAL, 0x0A0B0C0DL), // four-byte
                prop(PropertyId.TOPIC_ALIAS, 5), // two-byte
                prop(PropertyId.SUBSCRIPTION_IDENTIFIER, 200), // variable byte integer
                prop(PropertyId.SUBSCRIPTION_IDENTIFIER, 3), // repeatable in PUBLISH [MQTT-3.3.4-4]
                prop(PropertyId.CONTENT_TYPE, "j"), // UTF-8 string
                prop(PropertyId.RESPONSE_TOPIC, "r"),
                prop(PropertyId.CORRELATION_DATA, Bytes.wrap(new byte[] {(byte) 0xCA, (byte) 0xFE})), // binary
                prop(PropertyId.USER_PROPERTY, new UserProperty("z", "1")), // string pairs, not sorted
                prop(PropertyId.USER_PROPERTY, new UserProperty("a", "2"))));
        assertEncodes("32 32 00 01 74 01 02 2A"
                + " 01 01 02 0A 0B 0C 0D 23 00 05 0B C8 01 0B 03"
                + " 03 00 01 6A 08 00 01 72 09 00 02 CA FE"
                + " 26 00 01 7A 00 01 31 26 00 01 61 00 01 32"
                + " 68 69", p, V5);
    }

    @Test
    @DisplayName("PUBLISH without properties: Property Length 0 between Packet Identifier and payload")
    void publishWithoutProperties() {
        assertEncodes("32 0B 00 03 31 31 30 00 06 00 31 32 33", Publish.of("110", 1, 6, Bytes.utf8("123")), V5);
        // An empty Topic Name needs a Topic Alias (3.3.2.1); without one the receiver has a Protocol Error.
        assertEncodes("30 06 00 00 03 23 00 01", new Publish(false, 0, false, "", 0, Bytes.EMPTY,
                Properties.of(prop(PropertyId.TOPIC_ALIAS, 1))), V5);
        assertThrows(IllegalArgumentException.class, () -> PacketEncoder.encode(Publish.of("", 0, 0, Bytes.EMPTY), V5));
    }

    @Test
    @DisplayName("PUBACK/PUBREC/PUBREL/PUBCOMP: Remaining Length 2 on Success without properties (3.4.2.1)")
    void ackShortestForm() {
        assertEncodes("40 02 00 06", new PubAck(6), V5);
        assertEncodes("50 02 00 07", new PubRec(7), V5);
        assertEncodes("62 02 00 07", new PubRel(7), V5);
        assertEncodes("70 02 00 07", new PubComp(7), V5);
    }

    @Test
    @DisplayName("PUBACK/PUBREC/PUBREL/PUBCOMP: Remaining Length 3 with a reason code and no properties (3.4.2.2.1)")
    void ackWithReasonCode() {
        assertEncodes("40 03 00 06 10", new PubAck(6, ReasonCode.NO_MATCHING_SUBSCRIBERS, Properties.EMPTY), V5);
        assertEncodes("50 03 00 07 97", new PubRec(7, ReasonCode.QUOTA_EXCEEDED, Properties.EMPTY), V5);
        assertEncodes("62 03 00 07 92", new PubRel(7, ReasonCode.PACKET_IDENTIFIER_NOT_FOUND, Properties.EMPTY), V5);
        assertEncodes("70 03 00 07 92", new PubComp(7, ReasonCode.PACKET_IDENTIFIER_NOT_FOUND, Properties.EMPTY), V5);
    }

    @Test
    @DisplayName("PUBACK/PUBREC/PUBREL/PUBCOMP with properties: reason code always written, even Success")
    void ackWithProperties() {
        assertEncodes("40 0B 00 06 97 07 26 00 01 6B 00 01 76", new PubAck(6, ReasonCode.QUOTA_EXCEEDED, USER_KV), V5);
        Properties reason = Properties.of(prop(PropertyId.REASON_STRING, "ok"));
        assertEncodes("50 09 00 07 00 05 1F 00 02 6F 6B", new PubRec(7, ReasonCode.SUCCESS, reason), V5);
        assertEncodes("62 09 00 07 00 05 1F 00 02 6F 6B", new PubRel(7, ReasonCode.SUCCESS, reason), V5);
        assertEncodes("70 09 00 07 00 05 1F 00 02 6F 6B", new PubComp(7, ReasonCode.SUCCESS, reason), V5);
    }

    @Test
    @DisplayName("SUBSCRIBE options: QoS, No Local, Retain As Published, Retain Handling (3.8.3.1); one Subscription Identifier")
    void subscribe() {
        Subscribe s = new Subscribe(10, List.of(new Subscription("a/#", 2, true, true, 2), new Subscription("b", 1)),
                Properties.of(prop(PropertyId.SUBSCRIPTION_IDENTIFIER, 16384)));
        assertEncodes("82 11 00 0A 04 0B 80 80 01 00 03 61 2F 23 2E 00 01 62 01", s, V5);
        assertEncodes("82 07 00 01 00 00 01 78 14",
                new Subscribe(1, List.of(new Subscription("x", 0, true, false, 1)), Properties.EMPTY), V5);
    }

    @Test
    @DisplayName("SUBACK: properties then one reason code per subscription, as is (3.9.3)")
    void subAck() {
        SubAck s = new SubAck(10, List.of(ReasonCode.GRANTED_QOS_2, ReasonCode.GRANTED_QOS_1, ReasonCode.NOT_AUTHORIZED),
                Properties.of(prop(PropertyId.REASON_STRING, "x")));
        assertEncodes("90 0A 00 0A 04 1F 00 01 78 02 01 87", s, V5);
        assertEncodes("90 04 00 01 00 00", new SubAck(1, List.of(ReasonCode.SUCCESS), Properties.EMPTY), V5);
    }

    @Test
    @DisplayName("UNSUBSCRIBE and UNSUBACK: properties, filters, reason codes (3.10, 3.11)")
    void unsubscribeAndUnsubAck() {
        assertEncodes("A2 12 00 03 07 26 00 01 6B 00 01 76 00 01 61 00 03 62 2F 63",
                new Unsubscribe(3, List.of("a", "b/c"), USER_KV), V5);
        assertEncodes("B0 05 00 03 00 00 11",
                new UnsubAck(3, List.of(ReasonCode.SUCCESS, ReasonCode.NO_SUBSCRIPTION_EXISTED), Properties.EMPTY), V5);
        assertEncodes("B0 0B 00 03 07 26 00 01 6B 00 01 76 87",
                new UnsubAck(3, List.of(ReasonCode.NOT_AUTHORIZED), USER_KV), V5);
    }

    @Test
    @DisplayName("PINGREQ and PINGRESP are the same in every version")
    void pings() {
        assertEncodes("C0 00", PingReq.INSTANCE, V5);
        assertEncodes("D0 00", PingResp.INSTANCE, V5);
    }

    @Test
    @DisplayName("DISCONNECT: length 0 on Success, 1 with a reason code alone, else reason and properties (3.14.2)")
    void disconnect() {
        assertEncodes("E0 00", Disconnect.NORMAL, V5);
        assertEncodes("E0 01 8E", Disconnect.of(ReasonCode.SESSION_TAKEN_OVER), V5);
        assertEncodes("E0 06 9D 04 1C 00 01 68", new Disconnect(ReasonCode.SERVER_MOVED,
                Properties.of(prop(PropertyId.SERVER_REFERENCE, "h"))), V5);
        assertEncodes("E0 07 00 05 11 00 00 00 00", new Disconnect(ReasonCode.SUCCESS,
                Properties.of(prop(PropertyId.SESSION_EXPIRY_INTERVAL, 0L))), V5);
    }

    @Test
    @DisplayName("AUTH: length 0 on Success without properties; otherwise reason code and Property Length (3.15.2)")
    void auth() {
        assertEncodes("F0 00", new Auth(ReasonCode.SUCCESS, Properties.EMPTY), V5);
        // Not "F0 02 18 00": without the short form the Authentication Method is required (3.15.2.2.2,
        // [MQTT-4.12.0-5]) and the decoder rejects its absence as a Protocol Error.
        assertThrows(IllegalArgumentException.class,
                () -> PacketEncoder.encode(new Auth(ReasonCode.CONTINUE_AUTHENTICATION, Properties.EMPTY), V5));
        assertEncodes("F0 0B 18 09 15 00 01 6D 16 00 02 01 02", new Auth(ReasonCode.CONTINUE_AUTHENTICATION,
                Properties.of(prop(PropertyId.AUTHENTICATION_METHOD, "m"),
                        prop(PropertyId.AUTHENTICATION_DATA, Bytes.wrap(new byte[] {1, 2})))), V5);
    }

    @Test
    @DisplayName("a property not valid for the packet type is refused (2.2.2.2)")
    void propertyNotAllowedInPacket() {
        Packet publish = new Publish(false, 0, false, "t", 0, Bytes.EMPTY,
                Properties.of(prop(PropertyId.ASSIGNED_CLIENT_IDENTIFIER, "x")));
        assertThrows(IllegalArgumentException.class, () -> PacketEncoder.encode(publish, V5));
        Packet ack = new PubAck(1, ReasonCode.SUCCESS, Properties.of(prop(PropertyId.SESSION_EXPIRY_INTERVAL, 1L)));
        assertThrows(IllegalArgumentException.class, () -> PacketEncoder.encodedSize(ack, V5));
        Will will = new Will("w", Bytes.EMPTY, 0, false, Properties.of(prop(PropertyId.SESSION_EXPIRY_INTERVAL, 1L)));
        Connect c = new Connect(V5, "c", true, 0, will, null, null, Properties.EMPTY);
        assertThrows(IllegalArgumentException.class, () -> PacketEncoder.encode(c, V5));
    }

    @Test
    @DisplayName("a property that may not repeat is refused twice; Subscription Identifier repeats only in PUBLISH")
    void repeatedProperty() {
        Properties twoReasons = Properties.of(prop(PropertyId.REASON_STRING, "a"), prop(PropertyId.REASON_STRING, "b"));
        assertThrows(IllegalArgumentException.class, () -> PacketEncoder.encode(new Disconnect(ReasonCode.SUCCESS, twoReasons), V5));
        Properties twoIds = Properties.of(prop(PropertyId.SUBSCRIPTION_IDENTIFIER, 1), prop(PropertyId.SUBSCRIPTION_IDENTIFIER, 2));
        Subscribe s = new Subscribe(1, List.of(new Subscription("a", 0)), twoIds);
        assertThrows(IllegalArgumentException.class, () -> PacketEncoder.encode(s, V5));
        Publish p = new Publish(false, 0, false, "a", 0, Bytes.EMPTY, twoIds);
        assertEquals("30 08 00 01 61 04 0B 01 0B 02", hex(PacketEncoder.encode(p, V5)));
    }
}
