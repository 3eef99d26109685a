package org.swarmmq.protocol.packets;

import java.util.Objects;

/** A User Property: a UTF-8 string pair, passed through in order [MQTT-3.3.2-18]. */
public record UserProperty(String name, String value) {
    public UserProperty {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }
}
