package org.swarmmq.it;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** Eclipse Paho's MQTT 3.1.1 client. */
final class PahoV3Client implements StockClient {
    private final MqttClient client;
    private final BlockingQueue<Message> received = new LinkedBlockingQueue<>();

    PahoV3Client(BrokerProcess broker, String clientId) {
        this(broker.tcpUri(), clientId, o -> { });
    }

    /** On another transport ({@code ssl://}, {@code ws://}); {@code options} adds to the clean-session defaults. */
    PahoV3Client(String serverUri, String clientId, Consumer<MqttConnectOptions> options) {
        try {
            client = new MqttClient(serverUri, clientId, new MemoryPersistence());
            client.setTimeToWait(TIMEOUT.toMillis());
            client.setCallback(new MqttCallback() {
                @Override
                public void connectionLost(Throwable cause) {
                }

                @Override
                public void messageArrived(String topic, MqttMessage m) {
                    received.add(new Message(topic, m.getPayload(), m.getQos(), m.isRetained()));
                }

                @Override
                public void deliveryComplete(IMqttDeliveryToken token) {
                }
            });
            MqttConnectOptions o = new MqttConnectOptions();
            o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
            o.setCleanSession(true);
            o.setAutomaticReconnect(false);
            options.accept(o);
            client.connect(o);
        } catch (MqttException e) {
            throw new AssertionError("Paho 3.1.1 could not connect: " + e, e);
        }
    }

    @Override
    public void subscribe(String filter, int qos) {
        try {
            int granted = client.subscribeWithResponse(filter, qos).getGrantedQos()[0];
            if (granted != qos) throw new AssertionError("SUBACK for " + filter + ": 0x" + Integer.toHexString(granted));
        } catch (MqttException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public void unsubscribe(String filter) {
        try {
            client.unsubscribe(filter);
        } catch (MqttException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public void publish(String topic, byte[] payload, int qos, boolean retain) {
        try {
            client.publish(topic, payload, qos, retain);
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
        try {
            if (client.isConnected()) client.disconnect();
            client.close();
        } catch (MqttException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public String toString() {
        return "Paho 3.1.1 " + client.getClientId();
    }
}
