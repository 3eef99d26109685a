package org.swarmmq.protocol.packets;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.swarmmq.protocol.Bytes;

/**
 * The property list of an MQTT 5 packet, immutable, in wire order (User Properties keep their
 * order [MQTT-3.3.2-18]). Empty for MQTT 3.1 and 3.1.1 packets.
 */
public final class Properties {
    public static final Properties EMPTY = new Properties(List.of());

    private final List<Property> list;

    private Properties(List<Property> list) {
        this.list = list;
    }

    public static Properties of(List<Property> properties) {
        return properties.isEmpty() ? EMPTY : new Properties(List.copyOf(properties));
    }

    public static Properties of(Property... properties) {
        return of(List.of(properties));
    }

    public List<Property> asList() {
        return list;
    }

    public boolean isEmpty() {
        return list.isEmpty();
    }

    public int size() {
        return list.size();
    }

    public boolean has(PropertyId id) {
        for (Property p : list) if (p.id() == id) return true;
        return false;
    }

    /** The first value of {@code id}, or null. */
    public Object get(PropertyId id) {
        for (Property p : list) if (p.id() == id) return p.value();
        return null;
    }

    public List<Object> getAll(PropertyId id) {
        List<Object> out = new ArrayList<>(1);
        for (Property p : list) if (p.id() == id) out.add(p.value());
        return out;
    }

    /** The value of a Byte, Two Byte or Variable Byte Integer property, or {@code otherwise}. */
    public int intValue(PropertyId id, int otherwise) {
        Object v = get(id);
        return v == null ? otherwise : (Integer) v;
    }

    /** The value of a Four Byte Integer property, or {@code otherwise}. */
    public long longValue(PropertyId id, long otherwise) {
        Object v = get(id);
        return v == null ? otherwise : (Long) v;
    }

    public String string(PropertyId id) {
        return (String) get(id);
    }

    public Bytes binary(PropertyId id) {
        return (Bytes) get(id);
    }

    public List<UserProperty> userProperties() {
        List<UserProperty> out = new ArrayList<>();
        for (Property p : list) if (p.id() == PropertyId.USER_PROPERTY) out.add((UserProperty) p.value());
        return Collections.unmodifiableList(out);
    }

    public List<Integer> subscriptionIdentifiers() {
        List<Integer> out = new ArrayList<>(1);
        for (Property p : list) if (p.id() == PropertyId.SUBSCRIPTION_IDENTIFIER) out.add((Integer) p.value());
        return out;
    }

    /** A copy with {@code id} set to {@code value}, replacing any earlier value of a non-repeatable id. */
    public Properties with(PropertyId id, Object value) {
        List<Property> out = new ArrayList<>(list.size() + 1);
        for (Property p : list) if (id.repeatable() || p.id() != id) out.add(p);
        out.add(new Property(id, value));
        return of(out);
    }

    /** A copy without any value of {@code id}. */
    public Properties without(PropertyId id) {
        if (!has(id)) return this;
        List<Property> out = new ArrayList<>(list.size());
        for (Property p : list) if (p.id() != id) out.add(p);
        return of(out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Properties p && list.equals(p.list);
    }

    @Override
    public int hashCode() {
        return list.hashCode();
    }

    @Override
    public String toString() {
        return list.toString();
    }
}
