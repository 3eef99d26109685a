package org.swarmmq.protocol.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.swarmmq.protocol.Bytes;
import org.swarmmq.protocol.packets.Properties;
import org.swarmmq.protocol.packets.PropertyId;
import org.swarmmq.protocol.packets.Publish;

class OutboundTopicAliasesTest {
    private static Publish publish(String topic) {
        return new Publish(false, 1, false, topic, 3, Bytes.utf8("p"), Properties.EMPTY.with(PropertyId.USER_PROPERTY,
                new org.swarmmq.protocol.packets.UserProperty("k", "v")));
    }

    private static int alias(Publish p) {
        return p.properties().intValue(PropertyId.TOPIC_ALIAS, 0);
    }

    @Test
    @DisplayName("[MQTT-3.3.2-12] first send of a topic: topic and a new alias; later sends: empty topic and the alias")
    void firstSetsThenUses() {
        OutboundTopicAliases a = new OutboundTopicAliases(2);
        Publish first = a.apply(publish("a/b"), p -> true);
        assertEquals("a/b", first.topic());
        assertEquals(1, alias(first));
        assertEquals(3, first.packetId());
        assertEquals(publish("a/b").properties().userProperties(), first.properties().userProperties(), "other properties kept");
        Publish second = a.apply(publish("a/b"), p -> true);
        assertEquals("", second.topic());
        assertEquals(1, alias(second));
        Publish other = a.apply(publish("c"), p -> true);
        assertEquals("c", other.topic());
        assertEquals(2, alias(other), "aliases 1..maximum, never 0 [MQTT-3.3.2-8]");
    }

    @Test
    @DisplayName("[MQTT-3.3.2-11] a client with Topic Alias Maximum 0 (or none) gets no alias")
    void none() {
        OutboundTopicAliases a = new OutboundTopicAliases(0);
        assertSame(publish("a").getClass(), a.apply(publish("a"), p -> true).getClass());
        assertEquals(publish("a"), a.apply(publish("a"), p -> true));
        assertEquals(publish("a"), a.apply(publish("a"), p -> true));
    }

    @Test
    @DisplayName("[MQTT-3.3.2-12] all aliases in use: the least recently sent topic gives its alias up, never one above the maximum")
    void leastRecentlyUsedReplaced() {
        OutboundTopicAliases a = new OutboundTopicAliases(2);
        a.apply(publish("x"), p -> true); // 1
        a.apply(publish("y"), p -> true); // 2
        a.apply(publish("x"), p -> true); // x used again: y is now the least recent
        Publish z = a.apply(publish("z"), p -> true);
        assertEquals("z", z.topic());
        assertEquals(2, alias(z), "y's alias");
        assertEquals("", a.apply(publish("x"), p -> true).topic(), "x keeps alias 1");
        Publish y = a.apply(publish("y"), p -> true);
        assertEquals("y", y.topic(), "y must be sent in full again");
        assertEquals(2, a.size());
    }

    @Test
    @DisplayName("an aliased form that would not fit the client's Maximum Packet Size: sent as it was, no mapping set")
    void tooLargeWithAlias() {
        OutboundTopicAliases a = new OutboundTopicAliases(5);
        assertEquals(publish("t"), a.apply(publish("t"), p -> false));
        assertEquals(0, a.size());
        Publish set = a.apply(publish("t"), p -> true);
        assertEquals(1, alias(set), "set only now");
    }
}
