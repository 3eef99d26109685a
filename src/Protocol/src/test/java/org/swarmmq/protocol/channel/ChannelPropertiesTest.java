package org.swarmmq.protocol.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.swarmmq.protocol.Bytes;
import org.swarmmq.protocol.packets.*;

class ChannelPropertiesTest {
    @Property
    @Label("[MQTT-4.6.0-2] acknowledgements leave in PUBLISH order, whatever the order of routing, QoS 1 and 2 mixed")
    void acksLeaveInPublishOrder(@ForAll @IntRange(min = 1, max = 40) int count, @ForAll long seed) {
        Channel c = new Channel(Channel.Settings.of(1 << 20, 20), 0);
        c.handle(Connect.of(ProtocolVersion.V3_1_1, "p", true, 0), 0);
        c.attached(false, List.of());
        Random random = new Random(seed);
        List<Packet> expected = new ArrayList<>();
        List<Long> tokens = new ArrayList<>();
        for (int id = 1; id <= count; id++) {
            int qos = 1 + random.nextInt(2);
            List<ChannelEffect> e = c.handle(new Publish(false, qos, false, "t", id, Bytes.EMPTY, Properties.EMPTY), id);
            tokens.add(((ChannelEffect.Route) e.get(0)).token());
            expected.add(qos == 1 ? new PubAck(id) : new PubRec(id));
        }
        Collections.shuffle(tokens, random);
        List<Packet> sent = new ArrayList<>();
        for (long t : tokens) {
            for (ChannelEffect e : c.routed(t)) sent.add(((ChannelEffect.Send) e).packet());
        }
        assertEquals(expected, sent);
    }
}
