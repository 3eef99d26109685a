package org.swarmmq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
import org.swarmmq.protocol.packets.Properties;
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
}
