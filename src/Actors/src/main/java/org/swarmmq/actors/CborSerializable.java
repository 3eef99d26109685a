package org.swarmmq.actors;

/**
 * Marker for messages and events that cross nodes or go to the journal; bound to a serializer in
 * reference.conf, in one place, so a message's shape is a deliberate, versioned decision.
 */
public interface CborSerializable {
}
