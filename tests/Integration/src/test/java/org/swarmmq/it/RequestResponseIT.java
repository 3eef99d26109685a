package org.swarmmq.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * MQTT 5 request/response with Eclipse Paho mqttv5 on a real node: Response Topic, Correlation
 * Data, User Properties (in order), Content Type and Payload Format Indicator reach the
 * subscriber untouched [MQTT-3.3.2-15..20], so a responder can answer the requester.
 */
class RequestResponseIT {
    private static BrokerProcess node;

    @BeforeAll
    static void start() {
        node = BrokerProcess.start("request-response");
    }

    @AfterAll
    static void stop() {
        if (node != null) node.close();
    }

    private record Received(String topic, MqttMessage message) {
    }

    private static MqttClient client(String id, BlockingQueue<Received> inbox) throws MqttException {
        MqttClient c = new MqttClient(node.tcpUri(), id, new MemoryPersistence());
        c.setCallback(new MqttCallback() {
            @Override
            public void disconnected(MqttDisconnectResponse r) {
            }

            @Override
            public void mqttErrorOccurred(MqttException e) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage m) {
                inbox.add(new Received(topic, m));
            }

            @Override
            public void deliveryComplete(IMqttToken token) {
            }

            @Override
            public void connectComplete(boolean reconnect, String uri) {
            }

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties p) {
            }
        });
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        c.connect(o);
        return c;
    }

    @Test
    @DisplayName("a request's Response Topic, Correlation Data, User Properties, Content Type and format reach the responder; its answer reaches the requester")
    void requestResponse() throws Exception {
        BlockingQueue<Received> responderInbox = new LinkedBlockingQueue<>();
        BlockingQueue<Received> requesterInbox = new LinkedBlockingQueue<>();
        MqttClient responder = client("rr-responder", responderInbox);
        MqttClient requester = client("rr-requester", requesterInbox);
        try {
            responder.subscribe("rr/request", 1);
            requester.subscribe("rr/response/requester", 1);

            MqttProperties props = new MqttProperties();
            props.setResponseTopic("rr/response/requester");
            props.setCorrelationData(new byte[] {0, 1, 2, -1});
            props.setUserProperties(List.of(new UserProperty("z", "1"), new UserProperty("a", "2"), new UserProperty("z", "3")));
            props.setContentType("application/json");
            props.setPayloadFormat(true);
            MqttMessage request = new MqttMessage("{\"q\":1}".getBytes(StandardCharsets.UTF_8), 1, false, props);
            requester.publish("rr/request", request);

            Received got = responderInbox.poll(10, TimeUnit.SECONDS);
            assertNotNull(got, "the responder got the request");
            MqttProperties in = got.message().getProperties();
            assertEquals("rr/response/requester", in.getResponseTopic());
            assertArrayEquals(new byte[] {0, 1, 2, -1}, in.getCorrelationData());
            assertEquals(List.of("z=1", "a=2", "z=3"),
                    in.getUserProperties().stream().map(u -> u.getKey() + "=" + u.getValue()).toList(), "order kept");
            assertEquals("application/json", in.getContentType());
            assertEquals(true, in.getPayloadFormat());

            MqttProperties answer = new MqttProperties();
            answer.setCorrelationData(in.getCorrelationData());
            responder.publish(in.getResponseTopic(), new MqttMessage("{\"a\":2}".getBytes(StandardCharsets.UTF_8), 1, false, answer));

            Received reply = requesterInbox.poll(10, TimeUnit.SECONDS);
            assertNotNull(reply, "the requester got the answer");
            assertArrayEquals(new byte[] {0, 1, 2, -1}, reply.message().getProperties().getCorrelationData());
            assertEquals("{\"a\":2}", new String(reply.message().getPayload(), StandardCharsets.UTF_8));
        } finally {
            responder.disconnect();
            requester.disconnect();
            responder.close();
            requester.close();
        }
    }
}
