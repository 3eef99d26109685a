package org.swarmmq.it;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperties;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PayloadFormatIndicator;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5RetainHandling;
import java.nio.charset.StandardCharsets;
import java.util.List;
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

    static V5 v5(BrokerProcess broker, V5Client.Options options) {
        return new V5(broker, options);
    }

    /** The MQTT 5 flavour, with the options of {@link V5Client}. */
    static final class V5 extends HiveMqClient implements V5Client {
        private final Mqtt5AsyncClient client;
        private final ConnAckInfo connAck;

        V5(BrokerProcess broker, String clientId) {
            this(broker, Options.clean(clientId));
        }

        V5(BrokerProcess broker, Options o) {
            super(o.clientId());
            client = Mqtt5Client.builder().identifier(o.clientId())
                    .serverHost(BrokerProcess.HOST).serverPort(broker.port()).buildAsync();
            // Registered before CONNECT, so no message can slip past it.
            client.publishes(MqttGlobalPublishFilter.ALL, p -> received.add(new Message(p.getTopic().toString(),
                    p.getPayloadAsBytes(), p.getQos().getCode(), p.isRetain(), props(p), p::acknowledge)), o.manualAcks());
            var connect = client.connectWith().cleanStart(o.cleanStart()).sessionExpiryInterval(o.sessionExpiry())
                    .keepAlive(o.keepAlive());
            var restrictions = connect.restrictions().requestResponseInformation(o.requestResponseInformation());
            if (o.receiveMaximum() > 0) restrictions = restrictions.receiveMaximum(o.receiveMaximum());
            connect = restrictions.applyRestrictions();
            if (o.will() != null) {
                connect = connect.willPublish().topic(o.will().topic())
                        .payload(o.will().payload().getBytes(StandardCharsets.UTF_8))
                        .qos(MqttQos.fromCode(o.will().qos())).delayInterval(o.will().delaySeconds()).applyWillPublish();
            }
            Mqtt5ConnAck ack = await(connect.send(), "connect");
            connAck = new ConnAckInfo(ack.isSessionPresent(),
                    ack.getAssignedClientIdentifier().map(Object::toString).orElse(null),
                    ack.getResponseInformation().map(Object::toString).orElse(null),
                    ack.getServerKeepAlive().orElse(-1), ack.getRestrictions().getTopicAliasMaximum(),
                    ack.getRestrictions().getReceiveMaximum());
        }

        private static Props props(Mqtt5Publish p) {
            byte[] correlation = p.getCorrelationData().map(b -> {
                byte[] out = new byte[b.remaining()];
                b.duplicate().get(out);
                return out;
            }).orElse(null);
            List<String> user = p.getUserProperties().asList().stream()
                    .map(u -> u.getName() + "=" + u.getValue()).toList();
            return new Props(p.getMessageExpiryInterval().isPresent() ? p.getMessageExpiryInterval().getAsLong() : null,
                    p.getResponseTopic().map(Object::toString).orElse(null), correlation, user,
                    p.getContentType().map(Object::toString).orElse(null),
                    p.getPayloadFormatIndicator().map(f -> f == Mqtt5PayloadFormatIndicator.UTF_8 ? Boolean.TRUE : null)
                            .orElse(null),
                    List.of()); // HiveMQ uses subscription identifiers itself and does not hand them on
        }

        @Override
        public ConnAckInfo connAck() {
            return connAck;
        }

        @Override
        public String clientId() {
            return client.getConfig().getClientIdentifier().map(Object::toString).orElse(clientId);
        }

        @Override
        public boolean reportsSubscriptionIds() {
            return false;
        }

        @Override
        public void subscribe(String filter, int qos) {
            subscribe(filter, qos, SubscribeOptions.DEFAULT);
        }

        @Override
        public void subscribe(String filter, int qos, SubscribeOptions o) {
            if (o.subscriptionId() > 0) throw new UnsupportedOperationException("HiveMQ sets subscription identifiers itself");
            var ack = await(client.subscribeWith().topicFilter(filter).qos(MqttQos.fromCode(qos)).noLocal(o.noLocal())
                    .retainAsPublished(o.retainAsPublished())
                    .retainHandling(Mqtt5RetainHandling.fromCode(o.retainHandling())).send(), "subscribe");
            int granted = ack.getReasonCodes().get(0).getCode();
            if (granted != qos) throw new AssertionError("SUBACK for " + filter + ": 0x" + Integer.toHexString(granted));
        }

        @Override
        public void unsubscribe(String filter) {
            await(client.unsubscribeWith().topicFilter(filter).send(), "unsubscribe");
        }

        @Override
        public void publish(String topic, byte[] payload, int qos, boolean retain) {
            publish(topic, payload, qos, retain, Props.NONE);
        }

        @Override
        public void publish(String topic, byte[] payload, int qos, boolean retain, Props props) {
            var b = client.publishWith().topic(topic).payload(payload).qos(MqttQos.fromCode(qos)).retain(retain);
            if (props.messageExpiry() != null) b = b.messageExpiryInterval(props.messageExpiry());
            if (props.responseTopic() != null) b = b.responseTopic(props.responseTopic());
            if (props.correlationData() != null) b = b.correlationData(props.correlationData());
            if (props.contentType() != null) b = b.contentType(props.contentType());
            if (Boolean.TRUE.equals(props.utf8Payload())) b = b.payloadFormatIndicator(Mqtt5PayloadFormatIndicator.UTF_8);
            if (!props.userProperties().isEmpty()) {
                var u = Mqtt5UserProperties.builder();
                for (String kv : props.userProperties()) {
                    int eq = kv.indexOf('=');
                    u = u.add(kv.substring(0, eq), kv.substring(eq + 1));
                }
                b = b.userProperties(u.build());
            }
            var result = await(b.send(), "publish");
            if (result.getError().isPresent()) throw new AssertionError("publish failed: " + result.getError().get());
        }

        @Override
        public void disconnect(int reasonCode, long sessionExpiry) {
            var d = client.disconnectWith().reasonCode(Mqtt5DisconnectReasonCode.values()[indexOf(reasonCode)]);
            if (sessionExpiry >= 0) d = d.sessionExpiryInterval(sessionExpiry);
            await(d.send(), "disconnect");
        }

        private static int indexOf(int code) {
            Mqtt5DisconnectReasonCode[] all = Mqtt5DisconnectReasonCode.values();
            for (int i = 0; i < all.length; i++) if (all[i].getCode() == code) return i;
            throw new IllegalArgumentException("no DISCONNECT reason code 0x" + Integer.toHexString(code));
        }

        @Override
        public void close() {
            if (client.getState().isConnected()) await(client.disconnect(), "disconnect");
        }

        @Override
        public String toString() {
            return "HiveMQ 5 " + clientId();
        }
    }
}
