package org.swarmmq.actors.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.swarmmq.actors.Message;

class SysMessagesTest {
    private static Map<String, String> byTopic(List<Message> messages) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Message m : messages) {
            assertTrue(m.retain() && m.qos() == 0, "retained QoS 0: " + m.topic());
            assertTrue(m.topic().startsWith("$SYS/broker/"), m.topic());
            out.put(m.topic(), m.payload().utf8String());
        }
        return out;
    }

    @Test
    void sumsOverNodesAndEachNodesOwn() {
        NodeReport a = new NodeReport("10.0.0.1:25520", 1_000, 2, 10, 20, 3, 4, 100, 200, 60_000);
        NodeReport b = new NodeReport("10.0.0.2:25520", 31_000, 5, 1, 2, 1, 1, 7, 9, 60_000);
        Map<String, String> t = byTopic(SysMessages.of(List.of(a, b), "SwarmMQ 9", 61_000));
        assertEquals("SwarmMQ 9", t.get("$SYS/broker/version"));
        assertEquals("2", t.get("$SYS/broker/nodes/count"));
        assertEquals("60 seconds", t.get("$SYS/broker/uptime"), "the cluster's: its oldest node's");
        assertEquals("7", t.get("$SYS/broker/clients/connected"));
        assertEquals("11", t.get("$SYS/broker/messages/received"));
        assertEquals("22", t.get("$SYS/broker/messages/sent"));
        assertEquals("4", t.get("$SYS/broker/publish/messages/received"));
        assertEquals("5", t.get("$SYS/broker/publish/messages/sent"));
        assertEquals("107", t.get("$SYS/broker/bytes/received"));
        assertEquals("209", t.get("$SYS/broker/bytes/sent"));
        assertEquals("30 seconds", t.get("$SYS/broker/nodes/10.0.0.2:25520/uptime"));
        assertEquals("5", t.get("$SYS/broker/nodes/10.0.0.2:25520/clients/connected"));
        assertEquals("2", t.get("$SYS/broker/nodes/10.0.0.1:25520/clients/connected"));
        assertEquals(2 + 8 * 3, t.size(), "version, count, and 8 figures for the cluster and each node");
    }

    @Test
    void noNodeYet() {
        Map<String, String> t = byTopic(SysMessages.of(List.of(), "v", 5_000));
        assertEquals("0", t.get("$SYS/broker/nodes/count"));
        assertEquals("0", t.get("$SYS/broker/clients/connected"));
    }
}
