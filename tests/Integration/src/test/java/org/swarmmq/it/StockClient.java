package org.swarmmq.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * What the pub/sub tests need from a stock client library (Paho 3.1.1, Paho 5, HiveMQ 3.1.1 and 5),
 * so each scenario runs unchanged against all of them. Every call blocks until the broker
 * acknowledged it (SUBACK, UNSUBACK, PUBACK or PUBCOMP); received messages queue up.
 */
interface StockClient extends AutoCloseable {
    Duration TIMEOUT = Duration.ofSeconds(10);

    /**
     * A message as the library handed it to the application; MQTT 5 libraries fill {@code props},
     * and {@code ack} acknowledges it when the client was made with manual acknowledgements.
     */
    record Message(String topic, byte[] payload, int qos, boolean retain, V5Client.Props props, Runnable ack) {
        Message(String topic, byte[] payload, int qos, boolean retain) {
            this(topic, payload, qos, retain, V5Client.Props.NONE, () -> { });
        }

        void acknowledge() {
            ack.run();
        }

        String text() {
            return new String(payload, java.nio.charset.StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "Message[" + topic + ", " + (payload.length > 64 ? payload.length + " bytes" : "'" + text() + "'")
                    + ", qos " + qos + ", retain " + retain + "]";
        }
    }

    void subscribe(String filter, int qos);

    void unsubscribe(String filter);

    void publish(String topic, byte[] payload, int qos, boolean retain);

    default void publish(String topic, String payload, int qos) {
        publish(topic, payload.getBytes(java.nio.charset.StandardCharsets.UTF_8), qos, false);
    }

    BlockingQueue<Message> received();

    /** The next received message; fails if none comes within the timeout. */
    default Message next() {
        try {
            Message m = received().poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (m == null) throw new AssertionError(this + ": no message within " + TIMEOUT);
            return m;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /**
     * Everything that arrives within {@code quiet} (waiting that whole time on purpose: it is how
     * a test shows that no further copy comes).
     */
    default List<Message> drain(Duration quiet) {
        try {
            Thread.sleep(quiet.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Message> out = new ArrayList<>();
        received().drainTo(out);
        return out;
    }

    /** Disconnects normally (DISCONNECT) and releases the library's threads. */
    @Override
    void close();
}
