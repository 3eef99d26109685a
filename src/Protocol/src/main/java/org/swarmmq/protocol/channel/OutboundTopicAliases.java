package org.swarmmq.protocol.channel;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.swarmmq.protocol.packets.PropertyId;
import org.swarmmq.protocol.packets.Publish;

/**
 * Topic aliases for the PUBLISHes we send to one MQTT 5 client (3.3.2.3.4): the first PUBLISH of
 * a topic carries the topic and a new alias, later ones an empty topic and the alias. The client
 * said how many it takes (Topic Alias Maximum in CONNECT); with 0 or none we send none
 * [MQTT-3.3.2-11], and never an alias above it [MQTT-3.3.2-12] nor 0 [MQTT-3.3.2-8]. Mappings
 * belong to the network connection [MQTT-3.3.2-7]: a new connection starts with none, so its
 * re-sent (DUP) PUBLISHes set their aliases again.
 *
 * <p>When every alias is in use, the least recently sent topic gives its alias to the new one
 * (the PUBLISH carries both, which replaces the client's mapping, 3.3.2.3.4): a subscriber whose
 * topics change keeps getting aliases for its current ones.
 */
public final class OutboundTopicAliases {
    private final int maximum;
    /** Topic -> alias, least recently sent first; null until the first PUBLISH that may take an alias. */
    private LinkedHashMap<String, Integer> byTopic;

    public OutboundTopicAliases(int maximum) {
        this.maximum = Math.max(0, Math.min(maximum, 0xFFFF));
    }

    /**
     * The PUBLISH to send in place of {@code p}: with its alias, or with its topic and a new alias,
     * or {@code p} itself when there are no aliases or the aliased form would not {@code fit}
     * (the client's Maximum Packet Size). The mapping changes only when the aliased form is used.
     */
    public Publish apply(Publish p, Predicate<Publish> fits) {
        if (maximum == 0 || p.topic().isEmpty()) return p;
        if (byTopic == null) byTopic = new LinkedHashMap<>(16, 0.75f, true);
        Integer alias = byTopic.get(p.topic());
        if (alias != null) {
            Publish aliased = with(p, "", alias);
            return fits.test(aliased) ? aliased : p;
        }
        boolean full = byTopic.size() >= maximum;
        Map.Entry<String, Integer> eldest = full ? byTopic.entrySet().iterator().next() : null;
        int next = full ? eldest.getValue() : byTopic.size() + 1;
        Publish setting = with(p, p.topic(), next);
        if (!fits.test(setting)) return p;
        if (full) {
            Iterator<String> it = byTopic.keySet().iterator();
            it.next();
            it.remove();
        }
        byTopic.put(p.topic(), next);
        return setting;
    }

    /** How many aliases are set. */
    public int size() {
        return byTopic == null ? 0 : byTopic.size();
    }

    private static Publish with(Publish p, String topic, int alias) {
        return new Publish(p.dup(), p.qos(), p.retain(), topic, p.packetId(), p.payload(),
                p.properties().without(PropertyId.TOPIC_ALIAS).with(PropertyId.TOPIC_ALIAS, alias));
    }
}
