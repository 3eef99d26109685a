package org.swarmmq.protocol.topics;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * One level of a {@link SubscriptionTrie}: the children below it and the values subscribed with
 * the filter that ends here. Not thread-safe, like the trie.
 *
 * <p>The values are an array plus, once there are more than {@link #INDEX_FROM} of them, a map
 * from value to its slot. Matching walks the array (no iterator, no allocation); the map keeps add
 * and remove O(1) when thousands of sessions share one filter ("alerts/#" for every device).
 * Removal moves the last value into the hole, so order is not kept.
 */
final class TrieNode<V> {
    private static final int INDEX_FROM = 8;
    private static final Object[] NO_VALUES = new Object[0];

    final TrieNode<V> parent;
    /** This node's level in its parent: a literal level, "+" or "#". Null for the root. */
    final String level;

    /** Children by literal level; null until the first one. */
    HashMap<String, TrieNode<V>> literals;
    /** The '+' and '#' children, kept apart so matching never looks them up by name. */
    TrieNode<V> plus;
    TrieNode<V> hash;

    /** The filter that ends at this node, as first added; null while there are no values. */
    String filter;
    private Object[] values = NO_VALUES;
    private int valueCount;
    private HashMap<Object, Integer> slots;

    TrieNode(TrieNode<V> parent, String level) {
        this.parent = parent;
        this.level = level;
    }

    /** The child for {@code level}, created when missing. */
    TrieNode<V> child(String level) {
        if (level.length() == 1) {
            char c = level.charAt(0);
            if (c == '+') return plus != null ? plus : (plus = new TrieNode<>(this, "+"));
            if (c == '#') return hash != null ? hash : (hash = new TrieNode<>(this, "#"));
        }
        if (literals == null) literals = new HashMap<>(4);
        return literals.computeIfAbsent(level, l -> new TrieNode<>(this, l));
    }

    /** The existing child for {@code level}, or null. */
    TrieNode<V> existingChild(String level) {
        if (level.length() == 1) {
            char c = level.charAt(0);
            if (c == '+') return plus;
            if (c == '#') return hash;
        }
        return literals == null ? null : literals.get(level);
    }

    /** Unlinks the empty child {@code node} from this node. */
    void removeChild(TrieNode<V> node) {
        if (node == plus) plus = null;
        else if (node == hash) hash = null;
        else if (literals != null) {
            literals.remove(node.level);
            if (literals.isEmpty()) literals = null;
        }
    }

    boolean hasChildren() {
        return plus != null || hash != null || literals != null;
    }

    int valueCount() {
        return valueCount;
    }

    @SuppressWarnings("unchecked")
    V value(int i) {
        return (V) values[i];
    }

    boolean contains(V value) {
        return indexOf(value) >= 0;
    }

    boolean addValue(V value) {
        if (indexOf(value) >= 0) return false;
        if (valueCount == values.length) values = Arrays.copyOf(values, Math.max(2, valueCount * 2));
        values[valueCount] = value;
        if (slots != null) slots.put(value, valueCount);
        else if (valueCount + 1 > INDEX_FROM) buildIndex(valueCount + 1);
        valueCount++;
        return true;
    }

    boolean removeValue(V value) {
        int i = indexOf(value);
        if (i < 0) return false;
        int last = --valueCount;
        if (slots != null) slots.remove(value);
        if (i != last) {
            values[i] = values[last];
            if (slots != null) slots.put(values[i], i);
        }
        values[last] = null;
        if (valueCount == 0) {
            values = NO_VALUES; // give back a big array once a popular filter is abandoned
            slots = null;
        } else if (slots != null && valueCount <= INDEX_FROM / 2) {
            slots = null; // hysteresis: no rebuild churn at the threshold
        }
        return true;
    }

    /** Whether the node carries nothing and can be unlinked. */
    boolean isEmpty() {
        return valueCount == 0 && !hasChildren();
    }

    private int indexOf(Object value) {
        if (slots != null) {
            Integer slot = slots.get(value);
            return slot == null ? -1 : slot;
        }
        for (int i = 0; i < valueCount; i++) {
            if (values[i].equals(value)) return i;
        }
        return -1;
    }

    private void buildIndex(int count) {
        slots = new HashMap<>(count * 2);
        for (int i = 0; i < count; i++) slots.put(values[i], i);
    }

    /** Children for a walk over the whole trie; order unspecified. */
    void forEachChild(java.util.function.Consumer<TrieNode<V>> action) {
        if (literals != null) {
            for (Map.Entry<String, TrieNode<V>> e : literals.entrySet()) action.accept(e.getValue());
        }
        if (plus != null) action.accept(plus);
        if (hash != null) action.accept(hash);
    }
}
