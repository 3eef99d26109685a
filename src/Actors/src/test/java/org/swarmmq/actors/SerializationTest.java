package org.swarmmq.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.apache.pekko.serialization.jackson.JacksonSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.swarmmq.actors.connection.ConnectionProtocol;
import org.swarmmq.actors.session.SessionProtocol;
import org.swarmmq.actors.session.Outbox;
import org.swarmmq.actors.session.SessionRecord;
import org.swarmmq.actors.session.SharedOrigin;
import org.swarmmq.actors.topic.NodeRoutes;
import org.swarmmq.actors.topic.TopicProtocol;
import org.swarmmq.actors.topic.TopicState;
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
 * What goes to the journal, the durable state store or another node survives the node's real
 * serializer (jackson-cbor with {@link MqttJacksonModule}, or {@link HotPathSerializer} for the
 * messages of every delivery, as swarmmq-pekko.conf binds them).
 */
class SerializationTest {
    private static ActorTestKit kit;
    private static Serialization serialization;

    @BeforeAll
    static void start() {
        kit = ActorTestKit.create("SerializationTest", ConfigFactory.parseString("swarmmq.data-dir = unused")
                .withFallback(ConfigFactory.parseResources("swarmmq-pekko.conf"))
                .withFallback(ConfigFactory.load())
                .resolve());
        serialization = SerializationExtension.get(Adapter.toClassic(kit.system()));
    }

    @AfterAll
    static void stop() {
        kit.shutdownTestKit();
    }

    /** What every delivery sends between nodes, bound to {@link HotPathSerializer}. */
    private static final java.util.Set<Class<?>> HOT_PATH = java.util.Set.of(
            SessionProtocol.Deliver.class, SessionProtocol.Acknowledge.class, NodeRoutes.Fanout.class,
            TopicProtocol.Route.class, TopicProtocol.Routed.class, TopicProtocol.Confirmed.class,
            ConnectionProtocol.Send.class);

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(T value) {
        Serializer serializer = serialization.findSerializerFor(value);
        if (HOT_PATH.contains(value.getClass())) {
            assertInstanceOf(HotPathSerializer.class, serializer, () -> value.getClass() + " must use the hot-path serializer");
        } else {
            assertInstanceOf(JacksonSerializer.class, serializer, () -> value.getClass() + " must use jackson-cbor");
        }
        byte[] bytes = serialization.serialize(value).get();
        String manifest = Serializers.manifestFor(serializer, value);
        return (T) serialization.deserialize(bytes, serializer.identifier(), manifest).get();
    }

    private static void assertRoundTrip(Object value) {
        assertEquals(value, roundTrip(value));
    }

    /** Properties of every MQTT 5 data type, at their limits, with User Properties in a telling order. */
    static Properties everyType() {
        return Properties.of(
                new Property(PropertyId.USER_PROPERTY, new UserProperty("z", "first")),
                new Property(PropertyId.PAYLOAD_FORMAT_INDICATOR, 255), // Byte
                new Property(PropertyId.MESSAGE_EXPIRY_INTERVAL, 0xFFFF_FFFFL), // Four Byte Integer, unsigned max
                new Property(PropertyId.CONTENT_TYPE, "text/plain; ünïcødé ✓"), // UTF-8 String
                new Property(PropertyId.RESPONSE_TOPIC, "reply/to"),
                new Property(PropertyId.CORRELATION_DATA, Bytes.wrap(new byte[] {0, -1, 127, -128, 10})), // Binary
                new Property(PropertyId.TOPIC_ALIAS, 0xFFFF), // Two Byte Integer
                new Property(PropertyId.SUBSCRIPTION_IDENTIFIER, 268_435_455), // Variable Byte Integer max
                new Property(PropertyId.SUBSCRIPTION_IDENTIFIER, 1),
                new Property(PropertyId.USER_PROPERTY, new UserProperty("a", "second")), // String Pair
                new Property(PropertyId.USER_PROPERTY, new UserProperty("z", "third")),
                new Property(PropertyId.USER_PROPERTY, new UserProperty("", "")));
    }

    /**
     * {@link #everyType()} as a PUBLISH may carry it (Payload Format Indicator 0 or 1): what the
     * hot-path serializer, which writes MQTT 5 frames, is given by real traffic.
     */
    static Properties publishable() {
        List<Property> list = new java.util.ArrayList<>();
        for (Property p : everyType().asList()) {
            list.add(p.id() == PropertyId.PAYLOAD_FORMAT_INDICATOR ? new Property(p.id(), 1) : p);
        }
        return Properties.of(list);
    }

    static Message message(String topic, Bytes payload, Properties props) {
        return new Message(topic, payload, 2, true, props, "publisher-1", 1_700_000_000_123L);
    }

    @Test
    @DisplayName("MQTT 5 properties of every data type keep values, types and order [MQTT-3.3.2-18]")
    void propertiesEveryType() {
        Message m = message("a/b", Bytes.utf8("payload"), everyType());
        Message back = roundTrip(new TopicProtocol.RetainedChanged(m)).message();
        assertEquals(m, back);
        assertEquals(everyType().asList(), back.properties().asList());
        assertEquals(List.of("first", "second", "third", ""),
                back.properties().userProperties().stream().map(UserProperty::value).toList());
        assertInstanceOf(Long.class, back.properties().get(PropertyId.MESSAGE_EXPIRY_INTERVAL));
        assertInstanceOf(Integer.class, back.properties().get(PropertyId.TOPIC_ALIAS));
        assertInstanceOf(Bytes.class, back.properties().get(PropertyId.CORRELATION_DATA));
    }

    @Test
    @DisplayName("topic events: SubscriptionAdded with options, SubscriptionRemoved, RetainedChanged, RetainedRootAdded")
    void topicEvents() {
        assertRoundTrip(new TopicProtocol.SubscriptionAdded("c1", "a/+/#",
                new TopicProtocol.Options(2, true, true, 2, 268_435_455)));
        assertRoundTrip(new TopicProtocol.SubscriptionRemoved("c1", "a/+/#"));
        assertRoundTrip(new TopicProtocol.RetainedChanged(message("a", Bytes.wrap(new byte[70_000]), Properties.EMPTY)));
        byte[] big = new byte[300];
        for (int i = 0; i < big.length; i++) big[i] = (byte) i;
        // A slice of a larger array, as the decoder produces payloads.
        assertRoundTrip(new TopicProtocol.RetainedChanged(message("a/b", Bytes.wrap(big, 7, 200), everyType())));
        assertRoundTrip(new TopicProtocol.RetainedChanged(message("a/b", Bytes.EMPTY, Properties.EMPTY)));
        assertRoundTrip(new TopicProtocol.RetainedRootAdded("r:$SYS"));
    }

    @Test
    @DisplayName("TopicState in its snapshot form: durable subscriptions, retained messages, retained roots")
    void topicStateSnapshot() {
        TopicState s = new TopicState();
        s.subscribe("d1", "a/#", new TopicProtocol.Options(1, true, false, 1, 9), true);
        s.subscribe("d2", "a/b", new TopicProtocol.Options(2, false, true, 0, 0), true);
        s.subscribe("transient", "a/c", new TopicProtocol.Options(0, false, false, 0, 0), false);
        s.retain(message("a/b", Bytes.utf8("x"), everyType()));
        s.retain(message("a", Bytes.utf8("y"), Properties.EMPTY));
        s.addRetainedRoot("r:a");
        s.addRetainedRoot("r:");

        TopicState back = roundTrip(s);
        assertEquals(new HashSet<>(s.durable()), new HashSet<>(back.durable()));
        assertEquals(2, back.durable().size());
        assertEquals(s.retainedMessages(), back.retainedMessages());
        assertEquals(s.retainedRoots(), back.retainedRoots());
        assertTrue(back.isDurable("d1", "a/#"));
        Map<String, TopicProtocol.Delivery> d = new LinkedHashMap<>();
        back.match(message("a/b", Bytes.utf8("z"), Properties.EMPTY), d);
        assertEquals(java.util.Set.of("d1", "d2"), d.keySet(), "the subscriptions are live again, not just listed");
    }

    @Test
    @DisplayName("SessionRecord with PUBLISH packets (and properties) in flight and queued")
    void sessionRecord() {
        Publish inflight = new Publish(false, 1, false, "a/b", 7, Bytes.utf8("one"), everyType());
        Publish resent = new Publish(true, 2, true, "a/c", 65_535, Bytes.EMPTY, Properties.EMPTY);
        Publish queued = new Publish(false, 2, false, "q", 0, Bytes.wrap(new byte[] {1, 2, 3}),
                Properties.EMPTY.with(PropertyId.CONTENT_TYPE, "x"));
        Map<String, TopicProtocol.Options> subs = new LinkedHashMap<>();
        subs.put("a/#", new TopicProtocol.Options(1, false, true, 2, 5));
        subs.put("q", new TopicProtocol.Options(2, true, false, 0, 0));
        assertRoundTrip(new SessionRecord(5, subs, List.of(inflight, resent), List.of(3, 4),
                List.of(new Outbox.Queued(queued, 1_700_000_000_000L), new Outbox.Queued(queued, Outbox.NEVER)),
                List.of(10, 65_535), 1_700_000_123_456L, 300));
        assertRoundTrip(new SessionRecord(4, Map.of(), List.of(), List.of(), List.of(), List.of(), SessionRecord.NO_EXPIRY, 0));
    }

    @Test
    @DisplayName("4.8.2 deliveries naming their Shared Subscriptions cross nodes (manifests d, f, q); without one, the old forms D, F, R")
    void sharedDeliveries() {
        ActorRef<TopicProtocol.RouteReply> routed = kit.<TopicProtocol.RouteReply>createTestProbe().getRef();
        Message m = message("a/b", Bytes.utf8("p"), publishable());
        TopicProtocol.Delivery plain = new TopicProtocol.Delivery(1, true, List.of(3), true);
        TopicProtocol.Delivery shared = new TopicProtocol.Delivery(2, false, List.of(), true,
                List.of("$share/g/a/+", "$share/" + "n".repeat(70_000) + "/a/#"));
        SessionProtocol.Deliver d = new SessionProtocol.Deliver(m, shared, routed, 7L);
        assertRoundTrip(d);
        assertEquals("d", Serializers.manifestFor(serialization.findSerializerFor(d), d));
        SessionProtocol.Deliver old = new SessionProtocol.Deliver(m, plain, routed, 7L);
        assertEquals("D", Serializers.manifestFor(serialization.findSerializerFor(old), old));
        var session = kit.<SessionProtocol.Command>createTestProbe().getRef();
        NodeRoutes.Fanout f = new NodeRoutes.Fanout(m, List.of(new NodeRoutes.Target(session, plain),
                new NodeRoutes.Target(session, shared)), routed, 9L);
        assertRoundTrip(f);
        assertEquals("f", Serializers.manifestFor(serialization.findSerializerFor(f), f));
        TopicProtocol.Route r = new TopicProtocol.Route(m, Map.of("c1", plain, "c2", shared), null, 4L);
        assertRoundTrip(r);
        assertEquals("q", Serializers.manifestFor(serialization.findSerializerFor(r), r));
        assertRoundTrip(new TopicProtocol.Redeliver(new Message("a/b", Bytes.utf8("x"), 1, false, publishable(), null,
                5L), "$share/g/a/+", "leaver"));
        assertRoundTrip(new TopicProtocol.SharedPresence("c1", "$share/g/a/+", false));
    }

    @Test
    @DisplayName("SessionRecord: which messages Shared Subscriptions chose survives; a record from before them still reads")
    void sessionRecordShared() throws Exception {
        Publish inflight = new Publish(false, 1, false, "a/b", 7, Bytes.utf8("one"), Properties.EMPTY);
        Publish queued = new Publish(false, 2, false, "a/c", 0, Bytes.utf8("two"), Properties.EMPTY);
        SharedOrigin origin = new SharedOrigin(List.of("$share/g/a/+"), 2, Outbox.NEVER);
        SessionRecord r = new SessionRecord(5, Map.of("$share/g/a/+", new TopicProtocol.Options(1, false, false, 0, 0)),
                List.of(inflight), List.of(), List.of(new Outbox.Queued(queued, 1_700_000_000_000L, origin),
                new Outbox.Queued(queued, Outbox.NEVER)), List.of(), SessionRecord.NO_EXPIRY, Map.of(7, origin));
        assertRoundTrip(r);

        // The same record as written before shared subscriptions: no inflightShared, no Queued.shared.
        Serializer serializer = serialization.findSerializerFor(r);
        com.fasterxml.jackson.databind.ObjectMapper mapper = org.apache.pekko.serialization.jackson.JacksonObjectMapperProvider
                .get(Adapter.toClassic(kit.system())).getOrCreate("jackson-cbor", java.util.Optional.empty());
        var tree = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(serialization.serialize(r).get());
        tree.remove("inflightShared");
        for (var q : tree.get("queued")) ((com.fasterxml.jackson.databind.node.ObjectNode) q).remove("shared");
        SessionRecord old = (SessionRecord) serialization.deserialize(mapper.writeValueAsBytes(tree),
                serializer.identifier(), Serializers.manifestFor(serializer, r)).get();
        assertEquals(r.inflight(), old.inflight());
        assertEquals(null, old.queued().get(0).shared());
        assertTrue(old.inflightShared() == null || old.inflightShared().isEmpty());
        Outbox outbox = new Outbox(10, 10);
        outbox.restore(old.inflight(), old.releasing(), old.queued(), old.inflightShared());
        assertEquals(List.of(), outbox.sharedToGiveBack(), "an old record gives nothing back");
    }

    @Test
    @DisplayName("messages that cross nodes: session, topic and connection commands with actor refs and packets")
    void crossNodeMessages() {
        ActorRef<ConnectionProtocol.Command> connection = kit.<ConnectionProtocol.Command>createTestProbe().getRef();
        ActorRef<TopicProtocol.RouteReply> routed = kit.<TopicProtocol.RouteReply>createTestProbe().getRef();
        Message m = message("a/b", Bytes.utf8("p"), publishable());
        TopicProtocol.Delivery delivery = new TopicProtocol.Delivery(1, true, List.of(3, 4), true);

        assertRoundTrip(new SessionProtocol.Attach(connection, ProtocolVersion.V5, true, 0xFFFF_FFFFL, 65_535));
        assertRoundTrip(new SessionProtocol.Attach(connection, ProtocolVersion.V5, true, 0, 10, 512));
        assertRoundTrip(new SessionProtocol.Detach(connection, List.of(1, 2), 3600L));
        assertRoundTrip(new SessionProtocol.Deliver(m, delivery, routed, 7L));
        assertRoundTrip(new SessionProtocol.Deliver(m, delivery, null, 0L));
        assertRoundTrip(new TopicProtocol.Routed(42L, 3));
        assertRoundTrip(new TopicProtocol.Routed(42L, 3, 0));
        assertRoundTrip(new TopicProtocol.Routed(42L, 3, 7));
        assertRoundTrip(new TopicProtocol.Confirmed(42L));
        assertRoundTrip(new NodeRoutes.Fanout(m, List.of(new NodeRoutes.Target(
                kit.<SessionProtocol.Command>createTestProbe().getRef(), delivery)), routed, 9L));
        assertRoundTrip(new SessionProtocol.SubscribeRequest(connection, new Subscribe(3,
                List.of(new Subscription("a/#", 1, true, false, 2)), Properties.EMPTY.with(
                        PropertyId.SUBSCRIPTION_IDENTIFIER, 8))));
        assertRoundTrip(new SessionProtocol.Acknowledge(connection, new PubAck(12)));
        assertRoundTrip(new TopicProtocol.Route(m, Map.of("c1", delivery), routed, 42L));
        assertRoundTrip(new TopicProtocol.Route(m, Map.of(), null, 0L));
        assertRoundTrip(new TopicProtocol.Subscribed("a/#", List.of(m)));
        assertRoundTrip(new ConnectionProtocol.Attached(true, List.of(5),
                kit.<SessionProtocol.Command>createTestProbe().getRef()));
        assertRoundTrip(new TopicProtocol.Subscribe("c1", "a/#", new TopicProtocol.Options(1, false, false, 0, 0),
                true, kit.<SessionProtocol.Command>createTestProbe().getRef(),
                kit.<TopicProtocol.Subscribed>createTestProbe().getRef()));
        assertRoundTrip(new ConnectionProtocol.Close(ReasonCode.SESSION_TAKEN_OVER));
        assertRoundTrip(new ConnectionProtocol.Detached(true));
        assertRoundTrip(new ConnectionProtocol.Send(List.of(
                new SubAck(3, List.of(ReasonCode.GRANTED_QOS_1, ReasonCode.TOPIC_FILTER_INVALID), Properties.EMPTY),
                new Publish(false, 1, true, "a/b", 9, Bytes.utf8("p"), publishable()),
                new PubRel(9),
                new UnsubAck(4, List.of(ReasonCode.NO_SUBSCRIPTION_EXISTED), Properties.EMPTY))));
        assertRoundTrip(new ConnectionProtocol.Send(List.of(
                new SubAck(5, List.of(ReasonCode.SUCCESS), Properties.EMPTY),
                new Publish(false, 0, true, "r/1", 0, Bytes.utf8("kept"), publishable())), true));
        assertRoundTrip(new NodeRoutes.WildcardActive(true, kit.<NodeRoutes.Acknowledged>createTestProbe().getRef()));
    }

    @Test
    @DisplayName("every packet type survives as a Packet (the type id the mixin adds), inside a Send")
    void everyPacketType() {
        Properties p = Properties.EMPTY.with(PropertyId.REASON_STRING, "why");
        List<Packet> all = List.of(
                new Connect(ProtocolVersion.V5, "c", false, 30,
                        new Will("w/t", Bytes.utf8("bye"), 1, true, Properties.EMPTY.with(
                                PropertyId.WILL_DELAY_INTERVAL, 5L)),
                        "user", Bytes.utf8("secret"), Properties.EMPTY.with(PropertyId.SESSION_EXPIRY_INTERVAL, 9L)),
                Connect.of(ProtocolVersion.V3_1, "c31", true, 0),
                new ConnAck(true, ReasonCode.SUCCESS, p),
                Publish.of("t", 0, 0, Bytes.EMPTY),
                new PubAck(1, ReasonCode.NO_MATCHING_SUBSCRIBERS, p),
                new PubRec(2, ReasonCode.SUCCESS, Properties.EMPTY),
                new PubRel(3, ReasonCode.PACKET_IDENTIFIER_NOT_FOUND, p),
                new PubComp(4),
                new Subscribe(5, List.of(new Subscription("a/+", 2)), Properties.EMPTY),
                new SubAck(5, List.of(ReasonCode.GRANTED_QOS_2), Properties.EMPTY),
                new Unsubscribe(6, List.of("a/+", "b"), Properties.EMPTY),
                new UnsubAck(6, List.of(ReasonCode.SUCCESS), Properties.EMPTY),
                PingReq.INSTANCE,
                PingResp.INSTANCE,
                Disconnect.of(ReasonCode.SESSION_TAKEN_OVER),
                new Auth(ReasonCode.CONTINUE_AUTHENTICATION, Properties.EMPTY.with(
                        PropertyId.AUTHENTICATION_METHOD, "SCRAM")));
        assertEquals(15, all.stream().map(Packet::type).distinct().count(), "every type is here");
        assertRoundTrip(new ConnectionProtocol.Send(all));
        for (Packet packet : all) assertRoundTrip(new SessionProtocol.Acknowledge(
                kit.<ConnectionProtocol.Command>createTestProbe().getRef(), packet));
    }

    @Test
    @DisplayName("messages from a node before the Maximum Packet Size / matched count fields: read with 'no limit' / 'unknown'")
    void olderShapesStillRead() throws Exception {
        ActorRef<ConnectionProtocol.Command> connection = kit.<ConnectionProtocol.Command>createTestProbe().getRef();
        SessionProtocol.Attach attach = new SessionProtocol.Attach(connection, ProtocolVersion.V5, true, 60, 10, 512);
        Serializer jackson = serialization.findSerializerFor(attach);
        String json = new String(serialization.serialize(attach).get(), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(json.contains("maxPacketSize"), "CBOR carries field names");
        // The old shape: the same message without the new field.
        var mapper = new com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper();
        var tree = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(serialization.serialize(attach).get());
        tree.remove("maxPacketSize");
        SessionProtocol.Attach old = (SessionProtocol.Attach) serialization.deserialize(mapper.writeValueAsBytes(tree),
                jackson.identifier(), Serializers.manifestFor(jackson, attach)).get();
        assertEquals(0, old.maxPacketSize(), "absent: 0, which the session reads as no limit");
        assertEquals(10, old.receiveMaximum());

        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
            out.writeLong(42L);
            out.writeInt(3); // Routed as a node without the matched count writes it
        }
        TopicProtocol.Routed r = (TopicProtocol.Routed) serialization.deserialize(bytes.toByteArray(),
                4_711_001, "r").get();
        assertEquals(new TopicProtocol.Routed(42L, 3, TopicProtocol.Routed.UNKNOWN), r);
        assertFalse(r.noMatchingSubscribers(), "unknown is not 'none matched'");
    }
}
