package org.swarmmq.actors;

import java.util.Objects;
import org.swarmmq.protocol.Bytes;
import org.swarmmq.protocol.packets.Properties;
import org.swarmmq.protocol.packets.PropertyId;
import org.swarmmq.protocol.packets.Publish;

/**
 * An application message inside the broker: what a PUBLISH carried, once, shared by every
 * subscriber it goes to. {@code publisher} is the client id it came from (for No Local), and
 * {@code receivedAtMillis} when the broker took it (for Message Expiry).
 */
public record Message(String topic, Bytes payload, int qos, boolean retain, Properties properties,
                      String publisher, long receivedAtMillis) implements CborSerializable {
    public Message {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(properties, "properties");
    }

    public static Message of(Publish p, String publisher, long now) {
        return new Message(p.topic(), p.payload(), p.qos(), p.retain(), p.properties(), publisher, now);
    }

    /** When it expires (epoch ms), by its MQTT 5 Message Expiry Interval; Long.MAX_VALUE (never) without one. */
    public long expiresAtMillis() {
        if (!properties.has(PropertyId.MESSAGE_EXPIRY_INTERVAL)) return Long.MAX_VALUE;
        return receivedAtMillis + properties.longValue(PropertyId.MESSAGE_EXPIRY_INTERVAL, 0) * 1000;
    }

    /** As a PUBLISH to one subscriber (packet id 0), with its subscriptions' identifiers [MQTT-3.3.4-3]. */
    public Publish toPublish(int deliveryQos, boolean retainFlag, java.util.List<Integer> subscriptionIds) {
        Properties props = properties;
        for (Integer id : subscriptionIds) props = props.with(PropertyId.SUBSCRIPTION_IDENTIFIER, id);
        return new Publish(false, deliveryQos, retainFlag, topic, 0, payload, props);
    }
}
