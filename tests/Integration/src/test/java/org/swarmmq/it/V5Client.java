package org.swarmmq.it;

import java.util.List;

/**
 * What the MQTT 5 feature tests need from a stock MQTT 5 client library beyond {@link StockClient}:
 * CONNECT options and what CONNACK said, subscription options, message properties, DISCONNECT
 * with a reason code and a new Session Expiry, manual acknowledgements. Each call blocks until the
 * broker answered it; received messages carry their MQTT 5 properties ({@link Props}).
 */
interface V5Client extends StockClient {
    /** A will, published {@code delaySeconds} after the connection ends abnormally. */
    record Will(String topic, String payload, int qos, long delaySeconds) {
    }

    /**
     * CONNECT: {@code clientId} "" asks the server to assign one; {@code receiveMaximum} 0 leaves
     * the library's default; {@code manualAcks}: received QoS 1/2 messages wait for
     * {@link Message#acknowledge()}.
     */
    record Options(String clientId, boolean cleanStart, long sessionExpiry, int keepAlive, int receiveMaximum,
                   boolean requestResponseInformation, Will will, boolean manualAcks) {
        static Options clean(String clientId) {
            return new Options(clientId, true, 0, 60, 0, false, null, false);
        }

        Options withCleanStart(boolean b) {
            return new Options(clientId, b, sessionExpiry, keepAlive, receiveMaximum, requestResponseInformation, will, manualAcks);
        }

        Options withSessionExpiry(long s) {
            return new Options(clientId, cleanStart, s, keepAlive, receiveMaximum, requestResponseInformation, will, manualAcks);
        }

        Options withKeepAlive(int s) {
            return new Options(clientId, cleanStart, sessionExpiry, s, receiveMaximum, requestResponseInformation, will, manualAcks);
        }

        Options withReceiveMaximum(int n, boolean manual) {
            return new Options(clientId, cleanStart, sessionExpiry, keepAlive, n, requestResponseInformation, will, manual);
        }

        Options withResponseInformation() {
            return new Options(clientId, cleanStart, sessionExpiry, keepAlive, receiveMaximum, true, will, manualAcks);
        }

        Options withWill(Will w) {
            return new Options(clientId, cleanStart, sessionExpiry, keepAlive, receiveMaximum, requestResponseInformation, w, manualAcks);
        }
    }

    /** What the CONNACK said, as the library reports it; -1 or null where the property was absent. */
    record ConnAckInfo(boolean sessionPresent, String assignedClientId, String responseInformation, int serverKeepAlive,
                       int topicAliasMaximum, int receiveMaximum) {
    }

    /** MQTT 5 subscription options; {@code subscriptionId} 0: none (the library may add its own). */
    record SubscribeOptions(boolean noLocal, boolean retainAsPublished, int retainHandling, int subscriptionId) {
        static final SubscribeOptions DEFAULT = new SubscribeOptions(false, false, 0, 0);

        static SubscribeOptions retainHandling(int rh) {
            return new SubscribeOptions(false, false, rh, 0);
        }
    }

    /**
     * PUBLISH properties, sent or received; null/empty where absent. {@code userProperties} as
     * "key=value" in order; {@code subscriptionIds} only on received messages, and only where the
     * library hands them to the application.
     */
    record Props(Long messageExpiry, String responseTopic, byte[] correlationData, List<String> userProperties,
                 String contentType, Boolean utf8Payload, List<Integer> subscriptionIds) {
        static final Props NONE = new Props(null, null, null, List.of(), null, null, List.of());

        static Props messageExpiry(long seconds) {
            return new Props(seconds, null, null, List.of(), null, null, List.of());
        }
    }

    ConnAckInfo connAck();

    /** The client id in use (the assigned one, if the server assigned it). */
    String clientId();

    void subscribe(String filter, int qos, SubscribeOptions options);

    void publish(String topic, byte[] payload, int qos, boolean retain, Props props);

    /** DISCONNECT with {@code reasonCode} (0x04: publish my will) and, if >= 0, a new Session Expiry Interval. */
    void disconnect(int reasonCode, long sessionExpiry);

    /** Whether the library reports subscription identifiers of received messages to the application. */
    boolean reportsSubscriptionIds();

    /** The MQTT 5 libraries, for parameterised tests. */
    enum Kind {
        PAHO, HIVEMQ;

        V5Client connect(BrokerProcess broker, Options options) {
            return this == PAHO ? new PahoV5Client(broker, options) : HiveMqClient.v5(broker, options);
        }

        @Override
        public String toString() {
            return this == PAHO ? "Paho mqttv5" : "HiveMQ 5";
        }
    }
}
