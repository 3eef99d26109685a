package org.swarmmq.actors.session;

import java.util.List;
import org.swarmmq.actors.CborSerializable;

/**
 * Why a queued or in-flight message is ours: the Shared Subscriptions ({@code $share/name/filter})
 * that chose this session for it, with the QoS it was published at and when it expires (epoch
 * ms; {@link Outbox#NEVER} if not), so that when the session ends it can go to another member
 * of each group as it came (4.8.2). Kept in the {@link SessionRecord} of a persistent session.
 */
public record SharedOrigin(List<String> filters, int qos, long expiresAtMillis) implements CborSerializable {
}
