package org.swarmmq.it;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/** Eclipse Paho's MQTT 5 client. */
final class PahoV5Client implements StockClient {
    private final MqttClient client;
    private final BlockingQueue<Message> received = new LinkedBlockingQueue<>();

    PahoV5Client(BrokerProcess broker, String clientId) {
        try {
            client = new MqttClient(broker.tcpUri(), clientId, new MemoryPersistence());
            client.setTimeToWait(TIMEOUT.toMillis());
            client.setCallback(new MqttCallback() {
                @Override
                public void disconnected(MqttDisconnectResponse response) {
                }

                @Override
                public void mqttErrorOccurred(MqttException e) {
                }

                @Override
                public void messageArrived(String topic, MqttMessage m) {
                    received.add(new Message(topic, m.getPayload(), m.getQos(), m.isRetained()));
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
            MqttConnectionOptions o = new MqttConnectionOptions();
            o.setCleanStart(true);
            o.setAutomaticReconnect(false);
            client.connect(o);
        } catch (MqttException e) {
            throw new AssertionError("Paho 5 could not connect: " + e, e);
        }
    }

    @Override
    public void subscribe(String filter, int qos) {
        try {
            IMqttToken t = client.subscribe(new MqttSubscription[] {new MqttSubscription(filter, qos)});
            int granted = t.getReasonCodes()[0];
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
        return "Paho 5 " + client.getClientId();
    }
}
