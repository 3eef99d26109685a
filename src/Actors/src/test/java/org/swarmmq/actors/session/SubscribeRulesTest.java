package org.swarmmq.actors.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.swarmmq.actors.Message;
import org.swarmmq.actors.topic.TopicProtocol;
import org.swarmmq.protocol.Bytes;
import org.swarmmq.protocol.packets.Properties;
import org.swarmmq.protocol.packets.PropertyId;
import org.swarmmq.protocol.packets.ReasonCode;
import org.swarmmq.protocol.packets.Subscribe;
import org.swarmmq.protocol.packets.Subscription;

class SubscribeRulesTest {
    private static final TopicProtocol.Options HAD = new TopicProtocol.Options(1, false, false, 0, 0);

    private static Subscription sub(String filter, int qos, int retainHandling) {
        return new Subscription(filter, qos, false, false, retainHandling);
    }

    private static Subscribe subscribe(Properties props, Subscription... subs) {
        return new Subscribe(7, List.of(subs), props);
    }

    @Test
    @DisplayName("[MQTT-3.8.4-6] granted at the requested QoS; an invalid filter refused [MQTT-3.9.3-2]; the rest still granted")
    void grantsEachFilterOnItsOwn() {
        var g = SubscribeRules.grant(subscribe(Properties.EMPTY, sub("a/#", 2, 0), sub("a/#/b", 1, 0), sub("c", 0, 0)),
                Map.of(), 0);
        assertEquals(List.of(ReasonCode.GRANTED_QOS_2, ReasonCode.TOPIC_FILTER_INVALID, ReasonCode.SUCCESS), g.codes());
        assertEquals(List.of("a/#", "c"), g.accepted().stream().map(Subscription::topicFilter).toList());
        assertEquals(2, g.subscriptions().get("a/#").qos());
        assertFalse(g.subscriptions().containsKey("a/#/b"));
    }

    @Test
    @DisplayName("the quota counts distinct filters: a filter held already is replaced, not counted again")
    void quota() {
        Map<String, TopicProtocol.Options> current = Map.of("x", HAD, "y", HAD);
        var g = SubscribeRules.grant(subscribe(Properties.EMPTY, sub("x", 2, 0), sub("z", 1, 0), sub("w", 1, 0)),
                current, 3);
        assertEquals(List.of(ReasonCode.GRANTED_QOS_2, ReasonCode.GRANTED_QOS_1, ReasonCode.QUOTA_EXCEEDED), g.codes());
        assertEquals(Map.of("x", false, "z", true), g.isNew());
        assertEquals(2, g.subscriptions().get("x").qos(), "replaced [MQTT-3.8.4-3]");
        assertEquals(HAD, current.get("x"), "the session's map is not changed in place");
        String why = SubscribeRules.refusalReason(List.of(sub("x", 2, 0), sub("z", 1, 0), sub("w", 1, 0)), g.codes(), 3)
                .string(PropertyId.REASON_STRING);
        assertEquals("over the quota of 3 subscriptions: w", why);
        assertEquals(Properties.EMPTY, SubscribeRules.refusalReason(List.of(sub("x", 2, 0)),
                List.of(ReasonCode.GRANTED_QOS_2), 3), "no Reason String when nothing was over the quota");
    }

    @Test
    @DisplayName("a SUBSCRIBE's Subscription Identifier goes with each of its filters (3.8.2.1.2)")
    void subscriptionIdentifier() {
        var g = SubscribeRules.grant(subscribe(Properties.EMPTY.with(PropertyId.SUBSCRIPTION_IDENTIFIER, 42),
                sub("a", 1, 0), sub("b", 0, 0)), Map.of(), 0);
        assertEquals(42, g.subscriptions().get("a").subscriptionId());
        assertEquals(42, g.subscriptions().get("b").subscriptionId());
    }

    @Test
    @DisplayName("retained: min QoS, RETAIN=1 [MQTT-3.3.1-8]; Retain Handling 0 always, 1 only when new, 2 never [MQTT-3.3.1-9..11]")
    void retainedToSend() {
        Message m = new Message("t/1", Bytes.utf8("v"), 2, true, Properties.EMPTY, "p", 0);
        List<Subscription> subs = List.of(sub("t/#", 1, 0), sub("t/+", 2, 1), sub("#", 0, 2), sub("u", 1, 0));
        Map<String, TopicProtocol.Options> options = Map.of(
                "t/#", new TopicProtocol.Options(1, false, false, 0, 5),
                "t/+", new TopicProtocol.Options(2, false, false, 1, 0),
                "#", new TopicProtocol.Options(0, false, false, 2, 0),
                "u", HAD);
        Map<String, List<Message>> found = Map.of("t/#", List.of(m), "t/+", List.of(m), "#", List.of(m));
        var whenNew = SubscribeRules.retainedToSend(subs, found, Map.of("t/#", true, "t/+", true, "#", true, "u", true), options);
        assertEquals(2, whenNew.size(), "t/# and t/+ (new); never for #; u found nothing");
        assertEquals(1, whenNew.get(0).publish().qos());
        assertTrue(whenNew.get(0).publish().retain());
        assertEquals(List.of(5), whenNew.get(0).publish().properties().subscriptionIdentifiers());
        assertEquals(2, whenNew.get(1).publish().qos());
        var again = SubscribeRules.retainedToSend(subs, found, Map.of("t/#", false, "t/+", false, "#", false, "u", false), options);
        assertEquals(1, again.size(), "Retain Handling 1 sends nothing for a subscription that existed");
        assertEquals(1, again.get(0).publish().qos(), "the t/# one, at its QoS 1");
    }
}
