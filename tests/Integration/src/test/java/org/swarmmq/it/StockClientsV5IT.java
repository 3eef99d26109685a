package org.swarmmq.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.swarmmq.it.StockClient.Message;
import org.swarmmq.it.V5Client.Kind;
import org.swarmmq.it.V5Client.Options;
import org.swarmmq.it.V5Client.Props;
import org.swarmmq.it.V5Client.SubscribeOptions;
import org.swarmmq.protocol.packets.ProtocolVersion;
import org.swarmmq.protocol.packets.Publish;

/**
 * The MQTT 5 features of a node as each stock MQTT 5 library (Eclipse Paho mqttv5 and the HiveMQ
 * client) uses them: what CONNACK announces, subscription options, message properties, Receive
 * Maximum, Session Expiry and Will Delay. The node logs every packet (SWARMMQ_VERBOSE), so a test
 * can see what a library put on the wire (a topic alias).
 */
@DisplayName("MQTT 5 features with Paho mqttv5 and HiveMQ")
class StockClientsV5IT {
    private static final Duration QUIET = Duration.ofMillis(700);
    private static final int MAX_KEEP_ALIVE = 30;

    private static BrokerProcess node;

    @BeforeAll
    static void start() {
        node = BrokerProcess.start("stock-v5", "", List.of(), Map.of(
                "SWARMMQ_VERBOSE", "true", "SWARMMQ_MAX_KEEP_ALIVE", MAX_KEEP_ALIVE + "s"));
    }

    @AfterAll
    static void stop() {
        if (node != null) node.close();
    }

    private static V5Client connect(Kind kind, Options o) {
        return kind.connect(node, o);
    }

    private static V5Client connect(Kind kind) {
        return connect(kind, Options.clean(Ids.unique("v5")));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> texts(List<Message> messages) {
        return messages.stream().map(Message::text).toList();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kind.class)
    @DisplayName("CONNACK as the library reports it: Assigned Client Identifier for an empty id [MQTT-3.2.2-16], Response Information on request, Server Keep Alive [MQTT-3.2.2-21], Topic Alias Maximum, Receive Maximum")
    void connAckProperties(Kind kind) {
        try (V5Client c = connect(kind, Options.clean("").withKeepAlive(120).withResponseInformation())) {
            String assigned = c.connAck().assignedClientId();
            assertTrue(assigned != null && assigned.startsWith("auto-"), "assigned: " + assigned);
            assertEquals(assigned, c.clientId(), "the library goes on with the assigned id");
            assertEquals("response/" + assigned + "/", c.connAck().responseInformation());
            assertEquals(MAX_KEEP_ALIVE, c.connAck().serverKeepAlive(), "120 s asked, the maximum is " + MAX_KEEP_ALIVE);
            assertEquals(10, c.connAck().topicAliasMaximum());
            assertEquals(1000, c.connAck().receiveMaximum());
        }
        try (V5Client c = connect(kind, Options.clean(Ids.unique("v5ka")).withKeepAlive(20))) {
            assertNull(c.connAck().assignedClientId(), "an id of its own: none assigned");
            assertNull(c.connAck().responseInformation(), "not asked for");
            assertEquals(-1, c.connAck().serverKeepAlive(), "20 s is within the maximum: no Server Keep Alive");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kind.class)
    @DisplayName("[MQTT-3.8.3-3] No Local: a client's own messages do not come back to its No Local subscription; others' do")
    void noLocal(Kind kind) {
        String topic = Ids.unique("nolocal") + "/t";
        try (V5Client self = connect(kind); V5Client other = connect(kind)) {
            self.subscribe(topic, 1, new SubscribeOptions(true, false, 0, 0));
            other.subscribe(topic, 1);
            self.publish(topic, "own", 1);
            other.publish(topic, "other's", 1);
            assertEquals("other's", self.next().text());
            assertEquals(List.of(), texts(self.drain(QUIET)), "its own message never came back");
            assertEquals(List.of("own", "other's"), List.of(other.next().text(), other.next().text()));
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kind.class)
    @DisplayName("[MQTT-3.3.1-12] [MQTT-3.3.1-13] Retain As Published: a retained message forwarded to an established subscription keeps RETAIN 1 only with the option")
    void retainAsPublished(Kind kind) {
        String topic = Ids.unique("rap") + "/t";
        try (V5Client asPublished = connect(kind); V5Client plain = connect(kind); V5Client pub = connect(kind)) {
            asPublished.subscribe(topic, 1, new SubscribeOptions(false, true, 0, 0));
            plain.subscribe(topic, 1);
            pub.publish(topic, utf8("kept"), 1, true);
            assertTrue(asPublished.next().retain(), "Retain As Published");
            assertFalse(plain.next().retain(), "[MQTT-3.3.1-13] RETAIN 0 without the option");
            pub.publish(topic, new byte[0], 1, true); // clears the retained message
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kind.class)
    @DisplayName("[MQTT-3.3.1-9] [MQTT-3.3.1-10] [MQTT-3.3.1-11] Retain Handling: 0 sends retained messages at every subscribe, 1 only for a new subscription, 2 never")
    void retainHandling(Kind kind) {
        String root = Ids.unique("rh");
        try (V5Client pub = connect(kind); V5Client c = connect(kind)) {
            pub.publish(root + "/t", utf8("retained"), 1, true);
            c.subscribe(root + "/+", 1, SubscribeOptions.retainHandling(2));
            assertEquals(List.of(), texts(c.drain(QUIET)), "2: not at subscribe");
            c.subscribe(root + "/t", 1, SubscribeOptions.retainHandling(1));
            Message first = c.next();
            assertEquals("retained", first.text(), "1: a new subscription gets it");
            assertTrue(first.retain());
            c.subscribe(root + "/t", 1, SubscribeOptions.retainHandling(1));
            assertEquals(List.of(), texts(c.drain(QUIET)), "1: not when the subscription existed");
            c.subscribe(root + "/t", 1, SubscribeOptions.retainHandling(0));
            assertEquals("retained", c.next().text(), "0: at every subscribe");
            assertEquals(List.of(), texts(c.drain(QUIET)));
            pub.publish(root + "/t", new byte[0], 1, true);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kind.class)
    @DisplayName("[MQTT-3.3.4-3] [MQTT-3.3.4-4] Subscription Identifiers: overlapping subscriptions give one PUBLISH carrying each matching subscription's identifier")
    void subscriptionIdentifiers(Kind kind) {
        String root = Ids.unique("subid");
        try (V5Client c = connect(kind); V5Client pub = connect(kind)) {
            // HiveMQ sets identifiers of its own and keeps them; Paho lets the application set them.
            boolean own = c.reportsSubscriptionIds();
            c.subscribe(root + "/+", 1, new SubscribeOptions(false, false, 0, own ? 7 : 0));
            c.subscribe(root + "/x", 1, new SubscribeOptions(false, false, 0, own ? 9 : 0));
            pub.publish(root + "/x", "both", 1);
            pub.publish(root + "/y", "one", 1);
            Message both = c.next();
            Message one = c.next();
            assertEquals(List.of(), texts(c.drain(QUIET)), "[MQTT-3.3.4-3] one copy for the two subscriptions");
            assertEquals(List.of("both", "one"), List.of(both.text(), one.text()));
            if (own) {
                assertEquals(List.of(7, 9), both.props().subscriptionIds().stream().sorted().toList());
                assertEquals(List.of(7), one.props().subscriptionIds());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kind.class)
    @DisplayName("[MQTT-3.3.2-5] [MQTT-3.3.2-6] Message Expiry: a queued message past its interval is not sent; one sent carries the time left, online or queued")
    void messageExpiry(Kind kind) throws InterruptedException {
        String id = Ids.unique("mexp");
        String topic = Ids.unique("mexp") + "/t";
        try (V5Client sub = connect(kind, Options.clean(id).withSessionExpiry(300)); V5Client pub = connect(kind)) {
            sub.subscribe(topic, 1);
            pub.publish(topic, utf8("online"), 1, false, Props.messageExpiry(60));
            Message online = sub.next();
            assertTrue(online.props().messageExpiry() != null && online.props().messageExpiry() <= 60,
                    "sent with what is left: " + online.props().messageExpiry());
            sub.disconnect(0, -1);
            pub.publish(topic, utf8("short"), 1, false, Props.messageExpiry(1));
            pub.publish(topic, utf8("long"), 1, false, Props.messageExpiry(60));
        }
        Thread.sleep(2_500); // the 1 s message expires while its subscriber is away
        try (V5Client sub = connect(kind, Options.clean(id).withCleanStart(false).withSessionExpiry(0))) {
            assertTrue(sub.connAck().sessionPresent());
            Message m = sub.next();
            assertEquals("long", m.text(), "the expired message is not sent");
            long left = m.props().messageExpiry();
            assertTrue(left >= 55 && left <= 58, "60 s less the 2.5 s it waited: " + left);
            assertEquals(List.of(), texts(sub.drain(QUIET)));
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kind.class)
    @DisplayName("[MQTT-3.3.2-12] Topic Alias from the client: the library replaces a repeated topic by an alias (seen in the node's packet log); subscribers see the topic name")
    void topicAliasFromClient(Kind kind) {
        String topic = Ids.unique("alias") + "/a/rather/long/topic/name";
        try (RawClient sub = RawClient.connect(node, ProtocolVersion.V3_1_1, Ids.unique("aliassub"), true);
             V5Client pub = connect(kind)) {
            sub.subscribe(topic, 0);
            int from = node.mark();
            for (int i = 1; i <= 20; i++) pub.publish(topic, "m" + i, 0);
            for (int i = 1; i <= 20; i++) {
                Publish p = sub.expect(Publish.class);
                assertEquals(topic, p.topic(), "the topic name, never the alias");
                assertEquals("m" + i, p.payload().utf8String());
            }
            String line = "Received PUBLISH from " + pub.clientId();
            node.awaitLog(from, l -> l.contains(line) && l.contains(", '', "), Duration.ofSeconds(5),
                    "a PUBLISH of " + pub + " with an alias instead of its topic");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kind.class)
    @DisplayName("[MQTT-3.3.4-7] Receive Maximum of the client: at most 2 unacknowledged QoS 1 messages in flight to it; each acknowledgement lets the next one go")
    void receiveMaximum(Kind kind) {
        String topic = Ids.unique("recvmax") + "/t";
        try (V5Client sub = connect(kind, Options.clean(Ids.unique("recvmax")).withReceiveMaximum(2, true));
             V5Client pub = connect(kind)) {
            sub.subscribe(topic, 1);
            for (int i = 1; i <= 5; i++) pub.publish(topic, "m" + i, 1);
            Message m1 = sub.next();
            Message m2 = sub.next();
            assertEquals(List.of(), texts(sub.drain(QUIET)), "no third while two are unacknowledged");
            m1.acknowledge();
            Message m3 = sub.next();
            assertEquals(List.of(), texts(sub.drain(QUIET)), "again two in flight");
            assertEquals(List.of("m1", "m2", "m3"), List.of(m1.text(), m2.text(), m3.text()));
            m2.acknowledge();
            m3.acknowledge();
            Message m4 = sub.next();
            Message m5 = sub.next();
            m4.acknowledge();
            m5.acknowledge();
            assertEquals(List.of("m4", "m5"), List.of(m4.text(), m5.text()));
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kind.class)
    @DisplayName("[MQTT-3.1.2-23] Session Expiry 2 s: back in time, Session Present and the queue; away longer, no session; [MQTT-3.14.2-2] DISCONNECT may end it at once")
    void sessionExpiry(Kind kind) throws InterruptedException {
        String id = Ids.unique("sexp");
        String topic = Ids.unique("sexp") + "/t";
        Options twoSeconds = Options.clean(id).withSessionExpiry(2);
        try (V5Client c = connect(kind, twoSeconds)) {
            c.subscribe(topic, 1);
            c.disconnect(0, -1);
        }
        try (V5Client pub = connect(kind)) {
            pub.publish(topic, "queued", 1);
        }
        try (V5Client c = connect(kind, twoSeconds.withCleanStart(false))) {
            assertTrue(c.connAck().sessionPresent(), "back within 2 s");
            assertEquals("queued", c.next().text());
            c.disconnect(0, -1);
        }
        Thread.sleep(3_000);
        try (V5Client c = connect(kind, twoSeconds.withCleanStart(false))) {
            assertFalse(c.connAck().sessionPresent(), "away for 3 s: the session ended");
            c.disconnect(0, 0);
        }

        String changes = Ids.unique("sexp0");
        try (V5Client c = connect(kind, Options.clean(changes).withSessionExpiry(3600))) {
            c.subscribe(topic, 1);
            c.disconnect(0, 0); // the session ends now instead of in an hour
        }
        try (V5Client c = connect(kind, Options.clean(changes).withCleanStart(false).withSessionExpiry(3600))) {
            assertFalse(c.connAck().sessionPresent(), "ended by DISCONNECT's Session Expiry 0");
            c.disconnect(0, 0);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kind.class)
    @DisplayName("[MQTT-3.1.3-9] Will Delay 2 s after DISCONNECT 0x04 (with will): the will comes after the delay; a client back within 3 s: no will")
    void willDelay(Kind kind) {
        String topic = Ids.unique("will") + "/t";
        try (RawClient watcher = RawClient.connect(node, ProtocolVersion.V3_1_1, Ids.unique("willw"), true)) {
            watcher.subscribe(topic, 0);
            String late = Ids.unique("wlate");
            V5Client c = connect(kind, Options.clean(late).withSessionExpiry(60).withWill(new V5Client.Will(topic, "gone " + late, 0, 2)));
            long dropped = System.nanoTime();
            c.disconnect(0x04, -1); // [MQTT-3.14.4-3] asks for the will
            watcher.expectNothing(Duration.ofMillis(1_500));
            assertEquals("gone " + late, watcher.expect(Publish.class).payload().utf8String());
            assertTrue(Duration.ofNanos(System.nanoTime() - dropped).toMillis() >= 1_900, "after the 2 s delay");

            String back = Ids.unique("wback");
            Options withWill = Options.clean(back).withSessionExpiry(60).withWill(new V5Client.Will(topic, "gone " + back, 0, 3));
            connect(kind, withWill).disconnect(0x04, -1);
            try (V5Client again = connect(kind, withWill.withCleanStart(false))) {
                assertTrue(again.connAck().sessionPresent());
                watcher.expectNothing(Duration.ofSeconds(4)); // past the delay
                again.disconnect(0, 0); // normal: its own will is discarded
            }
            watcher.expectNothing(QUIET);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kind.class)
    @DisplayName("[MQTT-3.3.2-15..20] request/response: Response Topic, Correlation Data, User Properties in order, Content Type and Payload Format reach the responder untouched")
    void requestResponse(Kind kind) {
        String root = Ids.unique("rr");
        try (V5Client responder = connect(kind); V5Client requester = connect(kind)) {
            responder.subscribe(root + "/request", 1);
            requester.subscribe(root + "/response", 1);
            byte[] correlation = {0, 1, 2, -1};
            requester.publish(root + "/request", utf8("{\"q\":1}"), 1, false, new Props(null, root + "/response",
                    correlation, List.of("z=1", "a=2", "z=3"), "application/json", true, List.of()));
            Props in = responder.next().props();
            assertEquals(root + "/response", in.responseTopic());
            assertArrayEquals(correlation, in.correlationData());
            assertEquals(List.of("z=1", "a=2", "z=3"), in.userProperties(), "[MQTT-3.3.2-18] order kept");
            assertEquals("application/json", in.contentType());
            assertEquals(Boolean.TRUE, in.utf8Payload());
            responder.publish(in.responseTopic(), utf8("{\"a\":2}"), 1, false,
                    new Props(null, null, in.correlationData(), List.of(), null, null, List.of()));
            Message reply = requester.next();
            assertEquals("{\"a\":2}", reply.text());
            assertArrayEquals(correlation, reply.props().correlationData());
        }
    }
}
