package org.swarmmq.it;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;

/** Eclipse Paho's MQTT 5 client (its asynchronous API, each call awaited: the blocking one lacks options). */
final class PahoV5Client implements V5Client {
    private final MqttAsyncClient client;
    private final BlockingQueue<Message> received = new LinkedBlockingQueue<>();
    private final ConnAckInfo connAck;
    private final String clientId;
    private boolean closed;

    PahoV5Client(BrokerProcess broker, String clientId) {
        this(broker, Options.clean(clientId));
    }

    PahoV5Client(BrokerProcess broker, Options o) {
        try {
            client = new MqttAsyncClient(broker.tcpUri(), o.clientId(), new MemoryPersistence());
            client.setManualAcks(o.manualAcks());
            client.setCallback(new MqttCallback() {
                @Override
                public void disconnected(MqttDisconnectResponse response) {
                }

                @Override
                public void mqttErrorOccurred(MqttException e) {
                }

                @Override
                public void messageArrived(String topic, MqttMessage m) {
                    Runnable ack = () -> {
                        try {
                            client.messageArrivedComplete(m.getId(), m.getQos());
                        } catch (MqttException e) {
                            throw new AssertionError(e);
                        }
                    };
                    received.add(new Message(topic, m.getPayload(), m.getQos(), m.isRetained(), props(m.getProperties()), ack));
                }

                @Override
                public void deliveryComplete(IMqttToken token) {
                }

                @Override
                public void connectComplete(boolean reconnect, String serverURI) {
                }

                @Override
                public void authPacketArrived(int reasonCode, MqttProperties properties) {
                }
            });
            MqttConnectionOptions c = new MqttConnectionOptions();
            c.setCleanStart(o.cleanStart());
            c.setAutomaticReconnect(false);
            c.setKeepAliveInterval(o.keepAlive());
            if (o.sessionExpiry() > 0) c.setSessionExpiryInterval(o.sessionExpiry());
            if (o.receiveMaximum() > 0) c.setReceiveMaximum(o.receiveMaximum());
            if (o.requestResponseInformation()) c.setRequestResponseInfo(true);
            if (o.will() != null) {
                c.setWill(o.will().topic(), new MqttMessage(o.will().payload().getBytes(StandardCharsets.UTF_8),
                        o.will().qos(), false, null));
                MqttProperties wp = new MqttProperties();
                wp.setWillDelayInterval(o.will().delaySeconds());
                c.setWillMessageProperties(wp);
            }
            IMqttToken t = await(client.connect(c));
            MqttProperties p = t.getResponseProperties();
            String assigned = p == null ? null : p.getAssignedClientIdentifier();
            connAck = new ConnAckInfo(t.getSessionPresent(), assigned,
                    p == null ? null : p.getResponseInfo(),
                    p == null || p.getServerKeepAlive() == null ? -1 : p.getServerKeepAlive(),
                    p == null || p.getTopicAliasMaximum() == null ? -1 : p.getTopicAliasMaximum(),
                    p == null || p.getReceiveMaximum() == null ? -1 : p.getReceiveMaximum());
            this.clientId = assigned != null ? assigned : o.clientId();
        } catch (MqttException e) {
            throw new AssertionError("Paho 5 could not connect: " + e, e);
        }
    }

    private static IMqttToken await(IMqttToken t) throws MqttException {
        t.waitForCompletion(TIMEOUT.toMillis());
        return t;
    }

    private static Props props(MqttProperties p) {
        if (p == null) return Props.NONE;
        List<String> user = new ArrayList<>();
        for (UserProperty u : p.getUserProperties()) user.add(u.getKey() + "=" + u.getValue());
        return new Props(p.getMessageExpiryInterval(), p.getResponseTopic(), p.getCorrelationData(), user,
                p.getContentType(), p.getPayloadFormat() ? Boolean.TRUE : null, List.copyOf(p.getSubscriptionIdentifiers()));
    }

    @Override
    public ConnAckInfo connAck() {
        return connAck;
    }

    @Override
    public String clientId() {
        return clientId;
    }

    @Override
    public boolean reportsSubscriptionIds() {
        return true;
    }

    @Override
    public void subscribe(String filter, int qos) {
        subscribe(filter, qos, SubscribeOptions.DEFAULT);
    }

    @Override
    public void subscribe(String filter, int qos, SubscribeOptions o) {
        try {
            MqttSubscription s = new MqttSubscription(filter, qos);
            s.setNoLocal(o.noLocal());
            s.setRetainAsPublished(o.retainAsPublished());
            s.setRetainHandling(o.retainHandling());
            MqttProperties p = new MqttProperties();
            if (o.subscriptionId() > 0) p.setSubscriptionIdentifier(o.subscriptionId());
            IMqttToken t = await(client.subscribe(new MqttSubscription[] {s}, null, null, p));
            int granted = t.getReasonCodes()[0];
            if (granted != qos) throw new AssertionError("SUBACK for " + filter + ": 0x" + Integer.toHexString(granted));
        } catch (MqttException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public void unsubscribe(String filter) {
        try {
            await(client.unsubscribe(filter));
        } catch (MqttException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public void publish(String topic, byte[] payload, int qos, boolean retain) {
        publish(topic, payload, qos, retain, Props.NONE);
    }

    @Override
    public void publish(String topic, byte[] payload, int qos, boolean retain, Props props) {
        MqttProperties p = new MqttProperties();
        if (props.messageExpiry() != null) p.setMessageExpiryInterval(props.messageExpiry());
        if (props.responseTopic() != null) p.setResponseTopic(props.responseTopic());
        if (props.correlationData() != null) p.setCorrelationData(props.correlationData());
        if (props.contentType() != null) p.setContentType(props.contentType());
        if (props.utf8Payload() != null) p.setPayloadFormat(props.utf8Payload());
        List<UserProperty> user = new ArrayList<>();
        for (String kv : props.userProperties()) {
            int eq = kv.indexOf('=');
            user.add(new UserProperty(kv.substring(0, eq), kv.substring(eq + 1)));
        }
        if (!user.isEmpty()) p.setUserProperties(user);
        try {
            await(client.publish(topic, new MqttMessage(payload, qos, retain, p)));
        } catch (MqttException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public void disconnect(int reasonCode, long sessionExpiry) {
        MqttProperties p = new MqttProperties();
        if (sessionExpiry >= 0) p.setSessionExpiryInterval(sessionExpiry);
        try {
            await(client.disconnect(TIMEOUT.toMillis(), null, null, reasonCode, p));
            closed = true;
            client.close();
        } catch (MqttException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public BlockingQueue<Message> received() {
        return received;
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try {
            if (client.isConnected()) await(client.disconnect());
            client.close();
        } catch (MqttException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public String toString() {
        return "Paho 5 " + clientId;
    }
}
