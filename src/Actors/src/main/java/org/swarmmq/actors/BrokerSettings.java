package org.swarmmq.actors;

import com.typesafe.config.Config;
import java.time.Duration;
import org.swarmmq.protocol.channel.auth.Authentication;

/**
 * The broker's settings, read from the {@code swarmmq} block of the configuration (reference.conf
 * gives the defaults; the node maps command-line flags and environment variables onto it).
 */
public record BrokerSettings(
        String bind,
        int port,
        int maxPacketSize,
        Duration connectTimeout,
        int maxInflight,
        int maxQueued,
        int outboundBufferPackets,
        boolean verbose,
        Duration routeRetryAfter,
        int topicAliasMaximum,
        int receiveMaximum,
        int maxKeepAliveSeconds,
        int maxSubscriptionsPerClient,
        boolean outboundTopicAliases,
        Authentication authentication) {

    public static BrokerSettings from(Config root) {
        Config c = root.getConfig("swarmmq");
        return new BrokerSettings(
                c.getString("bind"),
                c.getInt("port"),
                (int) Math.min(c.getBytes("max-packet-size"), Integer.MAX_VALUE),
                c.getDuration("connect-timeout"),
                c.getInt("max-inflight-messages"),
                c.getInt("max-queued-messages"),
                c.getInt("outbound-buffer-packets"),
                c.getBoolean("verbose"),
                c.getDuration("route-retry-after"),
                c.getInt("topic-alias-maximum"),
                c.getInt("receive-maximum"),
                (int) c.getDuration("max-keep-alive").toSeconds(),
                c.getInt("max-subscriptions-per-client"),
                c.getBoolean("outbound-topic-aliases"),
                AuthSettings.from(c));
    }
}
