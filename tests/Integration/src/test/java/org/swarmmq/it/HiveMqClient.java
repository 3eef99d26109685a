package org.swarmmq.it;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** The HiveMQ MQTT client, in its 3.1.1 or its 5 flavour (two APIs, one behaviour here). */
abstract class HiveMqClient implements StockClient {
    final BlockingQueue<Message> received = new LinkedBlockingQueue<>();
    final String clientId;

    HiveMqClient(String clientId) {
        this.clientId = clientId;
    }

    static StockClient v3(BrokerProcess broker, String clientId) {
        return new V3(broker, clientId);
    }

    static StockClient v5(BrokerProcess broker, String clientId) {
        return new V5(broker, clientId);
    }

    @Override
    public BlockingQueue<Message> received() {
        return received;
    }

    static <T> T await(CompletableFuture<T> f, String what) {
        try {
            return f.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("HiveMQ " + what + " failed: " + e, e);
        }
    }

    private static final class V3 extends HiveMqClient {
        private final Mqtt3AsyncClient client;

        V3(BrokerProcess broker, String clientId) {
            super(clientId);
            client = Mqtt3Client.builder().identifier(clientId)
                    .serverHost(BrokerProcess.HOST).serverPort(broker.port()).buildAsync();
            // Registered before CONNECT, so no message can slip past it.
            client.publishes(MqttGlobalPublishFilter.ALL, p -> received.add(new Message(p.getTopic().toString(),
                    p.getPayloadAsBytes(), p.getQos().getCode(), p.isRetain())));
            await(client.connectWith().cleanSession(true).send(), "connect");
        }

        @Override
        public void subscribe(String filter, int qos) {
            await(client.subscribeWith().topicFilter(filter).qos(MqttQos.fromCode(qos)).send(), "subscribe");
        }

        @Override
        public void unsubscribe(String filter) {
            await(client.unsubscribeWith().topicFilter(filter).send(), "unsubscribe");
        }

        @Override
        public void publish(String topic, byte[] payload, int qos, boolean retain) {
            await(client.publishWith().topic(topic).payload(payload).qos(MqttQos.fromCode(qos)).retain(retain).send(),
                    "publish");
        }

        @Override
        public void close() {
            await(client.disconnect(), "disconnect");
        }

        @Override
        public String toString() {
            return "HiveMQ 3.1.1 " + clientId;
        }
    }

    private static final class V5 extends HiveMqClient {
        private final Mqtt5AsyncClient client;

        V5(BrokerProcess broker, String clientId) {
            super(clientId);
            client = Mqtt5Client.builder().identifier(clientId)
                    .serverHost(BrokerProcess.HOST).serverPort(broker.port()).buildAsync();
            client.publishes(MqttGlobalPublishFilter.ALL, p -> received.add(new Message(p.getTopic().toString(),
                    p.getPayloadAsBytes(), p.getQos().getCode(), p.isRetain())));
            await(client.connectWith().cleanStart(true).send(), "connect");
        }

        @Override
        public void subscribe(String filter, int qos) {
            var ack = await(client.subscribeWith().topicFilter(filter).qos(MqttQos.fromCode(qos)).send(), "subscribe");
            int granted = ack.getReasonCodes().get(0).getCode();
            if (granted != qos) throw new AssertionError("SUBACK for " + filter + ": 0x" + Integer.toHexString(granted));
        }

        @Override
        public void unsubscribe(String filter) {
            await(client.unsubscribeWith().topicFilter(filter).send(), "unsubscribe");
        }

        @Override
        public void publish(String topic, byte[] payload, int qos, boolean retain) {
            var result = await(client.publishWith().topic(topic).payload(payload).qos(MqttQos.fromCode(qos))
                    .retain(retain).send(), "publish");
            if (result.getError().isPresent()) throw new AssertionError("publish failed: " + result.getError().get());
        }

        @Override
        public void close() {
            await(client.disconnect(), "disconnect");
        }

        @Override
        public String toString() {
            return "HiveMQ 5 " + clientId;
        }
    }
}
