package org.swarmmq.protocol.packets;

import java.util.Objects;
import org.swarmmq.protocol.Bytes;

/**
 * One MQTT 5 property. The value's Java type follows the property's data type: Integer for Byte,
 * Two Byte Integer and Variable Byte Integer; Long for Four Byte Integer (unsigned 32 bits);
 * String for UTF-8 strings; {@link UserProperty} for string pairs; {@link Bytes} for binary data.
 */
public record Property(PropertyId id, Object value) {
    public Property {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(value, "value");
        boolean ok = switch (id.type()) {
            case BYTE -> value instanceof Integer i && i >= 0 && i <= 0xFF;
            case TWO_BYTE_INTEGER -> value instanceof Integer i && i >= 0 && i <= 0xFFFF;
            case VARIABLE_BYTE_INTEGER -> value instanceof Integer i && i >= 0 && i <= 268_435_455;
            case FOUR_BYTE_INTEGER -> value instanceof Long l && l >= 0 && l <= 0xFFFF_FFFFL;
            case UTF8_STRING -> value instanceof String;
            case UTF8_STRING_PAIR -> value instanceof UserProperty;
            case BINARY_DATA -> value instanceof Bytes b && b.length() <= 0xFFFF;
        };
        if (!ok) throw new IllegalArgumentException(id + " cannot hold " + value.getClass().getSimpleName() + " " + value);
    }
}
