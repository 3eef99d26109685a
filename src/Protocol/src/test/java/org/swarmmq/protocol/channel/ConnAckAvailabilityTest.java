package org.swarmmq.protocol.channel;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.swarmmq.protocol.packets.ConnAck;
import org.swarmmq.protocol.packets.Connect;
import org.swarmmq.protocol.packets.Properties;
import org.swarmmq.protocol.packets.PropertyId;
import org.swarmmq.protocol.packets.ProtocolVersion;

/**
 * The broker has Shared, Wildcard and Subscription Identifier subscriptions: its MQTT 5 CONNACK
 * leaves the three "available" properties out, which means available (3.2.2.3.11 to 3.2.2.3.13:
 * "If not present, then ... are supported"), and so never says 0.
 */
class ConnAckAvailabilityTest {
    static List<Channel.Settings> settings() {
        return List.of(Channel.Settings.of(256 * 1024 * 1024, 20), new Channel.Settings(1024, 5, 10, 1000, 60));
    }

    @ParameterizedTest
    @MethodSource("settings")
    @DisplayName("3.2.2.3.11-13 CONNACK: Shared Subscription, Wildcard Subscription, Subscription Identifier Available absent (available)")
    void availabilityAbsent(Channel.Settings s) {
        Channel c = new Channel(s, 0);
        c.handle(new Connect(ProtocolVersion.V5, "c1", true, 30, null, null, null,
                Properties.EMPTY.with(PropertyId.REQUEST_RESPONSE_INFORMATION, 1)), 0);
        ConnAck ack = (ConnAck) c.attached(false, List.of()).stream()
                .filter(e -> e instanceof ChannelEffect.Send).map(e -> ((ChannelEffect.Send) e).packet())
                .findFirst().orElseThrow();
        for (PropertyId id : List.of(PropertyId.SHARED_SUBSCRIPTION_AVAILABLE, PropertyId.WILDCARD_SUBSCRIPTION_AVAILABLE,
                PropertyId.SUBSCRIPTION_IDENTIFIER_AVAILABLE)) {
            assertFalse(ack.properties().has(id), id + " must be absent (available), not 0: " + ack.properties());
        }
    }
}
