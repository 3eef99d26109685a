package org.swarmmq.protocol.packets;

import java.util.Objects;

/**
 * One entry of a SUBSCRIBE payload: a topic filter and its Subscription Options (3.8.3.1). The
 * options beyond {@code qos} are MQTT 5 only and are false/0 for 3.1 and 3.1.1.
 */
public record Subscription(String topicFilter, int qos, boolean noLocal, boolean retainAsPublished, int retainHandling) {
    public Subscription {
        Objects.requireNonNull(topicFilter, "topicFilter");
        Publish.checkQos(qos);
        if (retainHandling < 0 || retainHandling > 2) throw new IllegalArgumentException("retainHandling " + retainHandling);
    }

    public Subscription(String topicFilter, int qos) {
        this(topicFilter, qos, false, false, 0);
    }
}
