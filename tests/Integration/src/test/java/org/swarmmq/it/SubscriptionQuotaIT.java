package org.swarmmq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5Subscription;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.swarmmq.protocol.packets.Connect;
import org.swarmmq.protocol.packets.Properties;
import org.swarmmq.protocol.packets.PropertyId;
import org.swarmmq.protocol.packets.ProtocolVersion;
import org.swarmmq.protocol.packets.ReasonCode;
import org.swarmmq.protocol.packets.SubAck;
import org.swarmmq.protocol.packets.Subscribe;
import org.swarmmq.protocol.packets.Subscription;

/** SWARMMQ_MAX_SUBSCRIPTIONS_PER_CLIENT: the quota our broker imposes, refused in SUBACK with 0x97 (3.9.3). */
class SubscriptionQuotaIT {
    private static BrokerProcess node;

    @BeforeAll
    static void start() {
        node = BrokerProcess.start("subscription-quota", "", List.of(), Map.of("SWARMMQ_MAX_SUBSCRIPTIONS_PER_CLIENT", "2"));
    }

    @AfterAll
    static void stop() {
        if (node != null) node.close();
    }

    @Test
    @DisplayName("HiveMQ 5 subscribing 3 filters with a quota of 2: the third gets 0x97 Quota exceeded, the connection stays")
    void hiveMqSeesQuotaExceeded() throws Exception {
        Mqtt5AsyncClient hive = Mqtt5Client.builder().identifier(Ids.unique("quota5"))
                .serverHost(BrokerProcess.HOST).serverPort(node.port()).buildAsync();
        HiveMqClient.await(hive.connectWith().cleanStart(true).send(), "connect");
        try {
            var future = hive.subscribeWith()
                    .addSubscription(Mqtt5Subscription.builder().topicFilter("q/a").qos(MqttQos.AT_LEAST_ONCE).build())
                    .addSubscription(Mqtt5Subscription.builder().topicFilter("q/b").qos(MqttQos.AT_LEAST_ONCE).build())
                    .addSubscription(Mqtt5Subscription.builder().topicFilter("q/c").qos(MqttQos.AT_LEAST_ONCE).build())
                    .send();
            com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck ack;
            try {
                ack = future.get(10, java.util.concurrent.TimeUnit.SECONDS);
                throw new AssertionError("HiveMQ fails a SUBACK with an error code; this one had none: " + ack);
            } catch (java.util.concurrent.ExecutionException e) {
                ack = ((com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException) e.getCause()).getMqttMessage();
            }
            assertEquals(List.of(Mqtt5SubAckReasonCode.GRANTED_QOS_1, Mqtt5SubAckReasonCode.GRANTED_QOS_1,
                    Mqtt5SubAckReasonCode.QUOTA_EXCEEDED), ack.getReasonCodes());
            assertEquals("over the quota of 2 subscriptions: q/c", String.valueOf(ack.getReasonString().orElse(null)),
                    "the Reason String a client asking for problem information gets (the default)");
            var again = HiveMqClient.await(hive.subscribeWith().topicFilter("q/a").qos(MqttQos.EXACTLY_ONCE).send(), "subscribe");
            assertEquals(List.of(Mqtt5SubAckReasonCode.GRANTED_QOS_2), again.getReasonCodes(), "a filter held already: replaced");
        } finally {
            HiveMqClient.await(hive.disconnect(), "disconnect");
        }
    }

    @Test
    @DisplayName("MQTT 3.1.1: the filter beyond the quota gets 0x80 Failure [MQTT-3.9.3-2]")
    void v311Failure() {
        try (RawClient c = RawClient.connect(node, ProtocolVersion.V3_1_1, Ids.unique("quota3"), true)) {
            c.send(new Subscribe(1, List.of(new Subscription("q3/a", 0), new Subscription("q3/b", 1),
                    new Subscription("q3/c", 2)), Properties.EMPTY));
            SubAck ack = c.expect(SubAck.class);
            assertEquals(3, ack.reasonCodes().size());
            assertEquals(ReasonCode.GRANTED_QOS_1, ack.reasonCodes().get(1));
            assertEquals(0x80, c.lastFrame().body()[4] & 0xFF, "the third return code on the wire");
        }
    }

    private static SubAck subscribeThree(RawClient c, String prefix) {
        c.send(new Subscribe(1, List.of(new Subscription(prefix + "/a", 0), new Subscription(prefix + "/b", 1),
                new Subscription(prefix + "/c", 2)), Properties.EMPTY));
        return c.expect(SubAck.class);
    }

    @Test
    @DisplayName("[MQTT-3.1.2-29] Request Problem Information 0: the SUBACK says 0x97 without a Reason String; [MQTT-3.9.2-1] so does one the Reason String would make too large")
    void noProblemInformation() {
        List<ReasonCode> codes = List.of(ReasonCode.SUCCESS, ReasonCode.GRANTED_QOS_1, ReasonCode.QUOTA_EXCEEDED);
        try (RawClient asks = RawClient.open(node)) {
            asks.connect(new Connect(ProtocolVersion.V5, Ids.unique("quota-pi1"), true, 60, null, null, null, Properties.EMPTY));
            SubAck ack = subscribeThree(asks, "qp1");
            assertEquals(codes, ack.reasonCodes());
            assertTrue(ack.properties().has(PropertyId.REASON_STRING), "the default is 1: wanted");
        }
        try (RawClient none = RawClient.open(node)) {
            none.connect(new Connect(ProtocolVersion.V5, Ids.unique("quota-pi0"), true, 60, null, null, null,
                    Properties.EMPTY.with(PropertyId.REQUEST_PROBLEM_INFORMATION, 0)));
            assertEquals(new SubAck(1, codes, Properties.EMPTY), subscribeThree(none, "qp0"));
        }
        try (RawClient tiny = RawClient.open(node)) {
            tiny.connect(new Connect(ProtocolVersion.V5, Ids.unique("quota-tiny"), true, 60, null, null, null,
                    Properties.EMPTY.with(PropertyId.MAXIMUM_PACKET_SIZE, 20L)));
            assertEquals(new SubAck(1, codes, Properties.EMPTY), subscribeThree(tiny, "qpt"));
            assertTrue(tiny.lastFrame().wireSize() <= 20);
        }
    }
}
