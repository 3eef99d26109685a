package org.swarmmq.protocol.topics;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.ConcurrentModificationException;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * A subscription index: which (Topic Filter, value) pairs match a Topic Name, fast, with a
 * hundred thousand filters or more. The value is whatever the owner needs per subscription
 * (a session id, an actor ref, a shared group).
 *
 * <h2>The problem</h2>
 * A PUBLISH names one topic, say {@code site/7/device/42/temp}. The broker must find every
 * subscribed filter that matches it under section 4.7: {@code site/7/device/42/temp} itself,
 * {@code site/+/device/42/temp}, {@code site/7/#}, {@code #}, and so on. Testing each filter with
 * {@link TopicFilters#matches} costs O(filters x levels) per message; at 100k filters that is the
 * whole broker's budget. The answer must not depend on how many filters do <em>not</em> match.
 *
 * <h2>The trie</h2>
 * A filter is a path of levels: {@code site/+/temp} is {@code site -> + -> temp}. All filters
 * together form a tree (a trie) whose edges are levels, so filters that share a prefix share
 * nodes: 100k filters {@code site/<n>/device/<m>/temp} have one {@code site} node. The values of a
 * filter live in the node where its path ends. A node keeps its literal children in a HashMap
 * by level string, and its '+' and '#' children in two separate fields, because matching must
 * follow them for every topic and should not pay a lookup for that.
 *
 * <h2>Matching: a walk with a frontier</h2>
 * Read the topic level by level. Keep the <em>frontier</em>: every node whose path matches the
 * levels read so far. It starts as the root alone. For each topic level L and each frontier node:
 * <ul>
 * <li>its literal child named L (one hash lookup) matches one more level: it joins the next
 * frontier;</li>
 * <li>its '+' child matches any one level, the empty one too: it joins the next frontier;</li>
 * <li>its '#' child matches L and everything after it, however many levels remain, so its values
 * are reported now and it never joins a frontier (a valid filter has nothing after '#').</li>
 * </ul>
 * When the topic is used up, the frontier holds exactly the filters with as many levels as the
 * topic that match it: their values are reported. So are the values of their '#' children, for
 * '#' also matches zero levels, "the parent": {@code a/#} matches {@code a} (4.7.1.2). If the
 * frontier empties early, nothing more can match and the walk stops.
 *
 * <p>This is the simulation of a nondeterministic automaton whose states are trie nodes; since the
 * trie is a tree, a node is reached by one path only, at one depth only, so it enters the frontier
 * at most once and every (filter, value) pair is reported exactly once, without a "seen" set. The
 * work is one step per (level, frontier node): it grows with the filters that match a prefix of
 * the topic, never with those that do not. With exact filters the frontier is one node wide and a
 * match costs one HashMap lookup per level, whatever the size of the index.
 *
 * <h2>The '$' rule</h2>
 * A filter starting with a wildcard does not match a topic starting with '$' [MQTT-4.7.2-1]:
 * {@code #} and {@code +/x} do not see {@code $SYS/x}, {@code $SYS/#} does. Starting with a
 * wildcard means being the root's '+' or '#' child, so at the first level only, and only when
 * the topic starts with '$', the root's '+' and '#' children are skipped. Deeper wildcards match
 * '$' levels as any other: {@code a/+} matches {@code a/$x}.
 *
 * <h2>Levels are exact strings</h2>
 * No normalisation: the empty level is a level like any other ({@code /a} is {@code "" -> a};
 * {@code a//b} has an empty middle level that '+' matches), and case counts. Levels are cut with
 * indexOf, never a regex.
 *
 * <h2>Removal</h2>
 * Removing a value that leaves its node with no values and no children unlinks the node, and
 * so on upwards (each node knows its parent and its level). An index that saw a million
 * subscriptions come and go holds only the live ones; an empty trie is a bare root.
 *
 * <h2>Cost of a match</h2>
 * A match allocates one String per topic level, and only when a frontier node has literal
 * children to look up; the frontier arrays are kept between calls, values are visited by index.
 * The walk is a loop, not a recursion: a 65535-byte topic can have 32768 levels, and so can a
 * filter ({@code +/+/+...}); recursing that deep would overflow the stack.
 *
 * <p>Compare EMQX's emqx_trie_search, which keeps filters as sorted keys in an ETS table and
 * finds matches by jumping between keys; a pointer trie owned by one actor is the simpler fit
 * here, and the walk above is the same level-by-level search.
 *
 * <h2>What the trie does not do</h2>
 * It is <b>not thread-safe</b>: it belongs to one actor (a topic actor, a session) and is used
 * from that actor only. A visitor must not change the trie while a match runs; if it does, the
 * match throws ConcurrentModificationException. It knows nothing of Shared Subscriptions: index
 * the inner filter of {@code $share/g/f} ({@link TopicFilters#parseShared}) under a value that
 * names the group; a {@code $share/...} string given to {@link #add} is an ordinary filter.
 */
public final class SubscriptionTrie<V> {
    /** One matching (filter, value) pair, for {@link #matchList}. */
    public record Match<V>(String filter, V value) {
    }

    private final TrieNode<V> root = new TrieNode<>(null, null);
    private int size;
    /** Changes made; a match checks it after each visit so a meddling visitor is caught. */
    private int modCount;
    /**
     * Frontier buffers kept for the next match; null before the first match (a session's small
     * trie may never match) and while a match is using them (a nested match makes its own).
     */
    private Walk<V> spareWalk;

    /**
     * Adds {@code value} under {@code filter}. Returns false, changing nothing, when that pair is
     * already present. Throws ProtocolException (TOPIC_FILTER_INVALID) for an invalid filter.
     */
    public boolean add(String filter, V value) {
        TopicFilters.validate(filter);
        Objects.requireNonNull(value, "value");
        TrieNode<V> node = root;
        int from = 0;
        while (true) {
            int end = TopicFilters.levelEnd(filter, from);
            node = node.child(filter.substring(from, end));
            if (end == filter.length()) break;
            from = end + 1;
        }
        if (!node.addValue(value)) return false;
        if (node.filter == null) node.filter = filter;
        size++;
        modCount++;
        return true;
    }

    /** Removes the pair; false when it was not present (an invalid filter never is). */
    public boolean remove(String filter, V value) {
        TrieNode<V> node = find(filter);
        if (node == null || !node.removeValue(value)) return false;
        if (node.valueCount() == 0) node.filter = null;
        // Unlink nodes left with nothing, upwards, so removed subscriptions leave no trace.
        while (node != root && node.isEmpty()) {
            node.parent.removeChild(node);
            node = node.parent;
        }
        size--;
        modCount++;
        return true;
    }

    public boolean contains(String filter, V value) {
        TrieNode<V> node = find(filter);
        return node != null && node.contains(value);
    }

    /** Number of (filter, value) pairs. */
    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /**
     * Calls {@code visitor} once for each (filter, value) pair whose filter matches the Topic
     * Name {@code topic}, in no particular order. A value subscribed with two overlapping filters
     * is visited twice, once per filter. The visitor must not change this trie.
     */
    public void match(String topic, BiConsumer<? super String, ? super V> visitor) {
        Objects.requireNonNull(visitor, "visitor");
        if (size == 0) return;
        Walk<V> walk = spareWalk != null ? spareWalk : new Walk<>();
        spareWalk = null;
        try {
            walk(topic, visitor, walk);
        } finally {
            walk.clear();
            spareWalk = walk;
        }
    }

    /** The matching pairs as a list: a convenience over {@link #match}, for tests and tools. */
    public List<Match<V>> matchList(String topic) {
        List<Match<V>> out = new ArrayList<>();
        match(topic, (f, v) -> out.add(new Match<>(f, v)));
        return out;
    }

    /** The filters that have at least one value. A fresh set: walks the whole trie. */
    public Set<String> filters() {
        Set<String> out = new HashSet<>();
        forEachNode(node -> {
            if (node.valueCount() > 0) out.add(node.filter);
        });
        return out;
    }

    /** Every (filter, value) pair, in no particular order. */
    public void forEach(BiConsumer<? super String, ? super V> action) {
        forEachNode(node -> {
            for (int i = 0; i < node.valueCount(); i++) action.accept(node.filter, node.value(i));
        });
    }

    /** Nodes below the root; 0 for an empty trie. For tests that check pruning. */
    int nodeCount() {
        int[] count = {-1}; // the root is not counted
        forEachNode(node -> count[0]++);
        return count[0];
    }

    private void walk(String topic, BiConsumer<? super String, ? super V> visitor, Walk<V> w) {
        final int expectedMod = modCount;
        final int length = topic.length();
        // [MQTT-4.7.2-1] the root's wildcards do not match a topic beginning with '$'
        final boolean dollar = length > 0 && topic.charAt(0) == '$';
        w.start(root);
        int from = 0;
        while (true) {
            int end = TopicFilters.levelEnd(topic, from);
            boolean rootWildcardsAllowed = from > 0 || !dollar;
            String level = null; // cut only if some node has literal children to look in
            for (int i = 0; i < w.curCount; i++) {
                TrieNode<V> node = w.cur[i];
                if (rootWildcardsAllowed) {
                    if (node.hash != null) visitValues(node.hash, visitor, expectedMod); // this level and all after
                    if (node.plus != null) w.push(node.plus); // exactly this level
                }
                if (node.literals != null) {
                    if (level == null) level = topic.substring(from, end);
                    TrieNode<V> child = node.literals.get(level);
                    if (child != null) w.push(child);
                }
            }
            w.swap();
            if (end == length) break; // topic used up; the frontier is the exact-length matches
            if (w.curCount == 0) return; // nothing can match any more
            from = end + 1;
        }
        for (int i = 0; i < w.curCount; i++) {
            TrieNode<V> node = w.cur[i];
            visitValues(node, visitor, expectedMod);
            if (node.hash != null) visitValues(node.hash, visitor, expectedMod); // '#' matches the parent
        }
    }

    private void visitValues(TrieNode<V> node, BiConsumer<? super String, ? super V> visitor, int expectedMod) {
        for (int i = 0; i < node.valueCount(); i++) {
            visitor.accept(node.filter, node.value(i));
            if (modCount != expectedMod) {
                throw new ConcurrentModificationException("the trie changed during a match");
            }
        }
    }

    private TrieNode<V> find(String filter) {
        if (!TopicFilters.isValidFilter(filter)) return null;
        TrieNode<V> node = root;
        int from = 0;
        while (node != null) {
            int end = TopicFilters.levelEnd(filter, from);
            node = node.existingChild(filter.substring(from, end));
            if (end == filter.length()) break;
            from = end + 1;
        }
        return node;
    }

    /** Visits every node, root first; iterative, as filters can be 32768 levels deep. */
    private void forEachNode(Consumer<TrieNode<V>> action) {
        ArrayDeque<TrieNode<V>> todo = new ArrayDeque<>();
        todo.push(root);
        while (!todo.isEmpty()) {
            TrieNode<V> node = todo.pop();
            action.accept(node);
            node.forEachChild(todo::push);
        }
    }

    /** The current and the next frontier, swapped after each level. */
    private static final class Walk<V> {
        TrieNode<V>[] cur = newArray(16);
        TrieNode<V>[] next = newArray(16);
        int curCount;
        int nextCount;
        /** Slots written since the last clear, so clear drops every reference the walk held. */
        private int used;

        void start(TrieNode<V> root) {
            cur[0] = root;
            curCount = 1;
            nextCount = 0;
            used = 1;
        }

        void push(TrieNode<V> node) {
            if (nextCount == next.length) next = Arrays.copyOf(next, nextCount * 2);
            next[nextCount++] = node;
            used = Math.max(used, nextCount);
        }

        void swap() {
            TrieNode<V>[] t = cur;
            cur = next;
            next = t;
            curCount = nextCount;
            nextCount = 0;
        }

        /** Drops node references so pruned nodes are not kept alive by a spare walk. */
        void clear() {
            Arrays.fill(cur, 0, Math.min(used, cur.length), null);
            Arrays.fill(next, 0, Math.min(used, next.length), null);
            curCount = 0;
            nextCount = 0;
            used = 0;
        }

        @SuppressWarnings("unchecked")
        private static <V> TrieNode<V>[] newArray(int n) {
            return (TrieNode<V>[]) new TrieNode<?>[n];
        }
    }
}
