package org.swarmmq.protocol.topics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.ConcurrentModificationException;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.swarmmq.protocol.ProtocolException;
import org.swarmmq.protocol.packets.ReasonCode;
import org.swarmmq.protocol.topics.SubscriptionTrie.Match;

/**
 * The trie against the one-filter-at-a-time oracle {@link TopicFilters#matches}, whose own
 * answers are pinned by the spec's examples in {@link TopicFiltersTest}.
 */
class SubscriptionTrieTest {

    // ---- examples ----

    @Test
    @DisplayName("4.7.1.2 '#' matches the parent level: a/# matches a, a/ and a/b/c")
    void hashMatchesParent() {
        SubscriptionTrie<String> trie = new SubscriptionTrie<>();
        trie.add("a/#", "s1");
        assertEquals(List.of(new Match<>("a/#", "s1")), trie.matchList("a"));
        assertEquals(1, trie.matchList("a/").size());
        assertEquals(1, trie.matchList("a/b/c").size());
        assertEquals(0, trie.matchList("b").size());
        assertEquals(0, trie.matchList("ab").size());
    }

    @Test
    @DisplayName("[MQTT-4.7.2-1] '#' and '+' at the first level skip $ topics; $SYS/# does not")
    void dollarRule() {
        SubscriptionTrie<String> trie = new SubscriptionTrie<>();
        for (String f : List.of("#", "+/x", "+/#", "$SYS/#", "$SYS/+", "a/+", "$SYS/x")) trie.add(f, f);
        assertEquals(Set.of("$SYS/#", "$SYS/+", "$SYS/x"), valuesOf(trie, "$SYS/x"));
        assertEquals(Set.of("#", "+/x", "+/#"), valuesOf(trie, "SYS/x"));
        assertEquals(Set.of("#", "+/#", "a/+"), valuesOf(trie, "a/$x")); // deeper levels may start with $
        assertEquals(Set.of("$SYS/#"), valuesOf(trie, "$SYS"));
    }

    @Test
    @DisplayName("4.7.1.3 '+' matches one level, the empty one too")
    void plusMatchesOneLevel() {
        SubscriptionTrie<String> trie = new SubscriptionTrie<>();
        for (String f : List.of("+", "+/+", "/+", "sport/+", "a/+/b")) trie.add(f, f);
        assertEquals(Set.of("+/+", "/+"), valuesOf(trie, "/finance"));
        assertEquals(Set.of("+"), valuesOf(trie, "sport"));
        assertEquals(Set.of("+/+", "sport/+"), valuesOf(trie, "sport/"));
        assertEquals(Set.of("a/+/b"), valuesOf(trie, "a//b"));
    }

    @Test
    @DisplayName("add and remove have set semantics per (filter, value); size counts pairs")
    void setSemantics() {
        SubscriptionTrie<String> trie = new SubscriptionTrie<>();
        assertTrue(trie.isEmpty());
        assertTrue(trie.add("a/b", "s1"));
        assertFalse(trie.add("a/b", "s1"));
        assertTrue(trie.add("a/b", "s2"));
        assertTrue(trie.add("a/+", "s1"));
        assertEquals(3, trie.size());
        assertTrue(trie.contains("a/b", "s2"));
        assertFalse(trie.contains("a/c", "s2"));
        assertEquals(Set.of("a/b", "a/+"), trie.filters());
        // s1 has two overlapping subscriptions: it is visited once per filter
        assertEquals(3, trie.matchList("a/b").size());
        assertFalse(trie.remove("a/b", "s3"));
        assertFalse(trie.remove("a/c", "s1"));
        assertFalse(trie.remove("a/#/b", "s1")); // an invalid filter is never present
        assertTrue(trie.remove("a/b", "s1"));
        assertFalse(trie.remove("a/b", "s1"));
        assertEquals(2, trie.size());
        assertEquals(Set.of("s2", "s1"), valuesOf(trie, "a/b"));
    }

    @Test
    @DisplayName("[MQTT-4.7.1-2] add rejects an invalid filter with TOPIC_FILTER_INVALID and keeps nothing")
    void addRejectsInvalidFilter() {
        SubscriptionTrie<String> trie = new SubscriptionTrie<>();
        ProtocolException e = assertThrows(ProtocolException.class, () -> trie.add("a/#/b", "s"));
        assertEquals(ReasonCode.TOPIC_FILTER_INVALID, e.reasonCode());
        assertEquals(0, trie.nodeCount());
        assertThrows(ProtocolException.class, () -> trie.add("", "s"));
        assertThrows(ProtocolException.class, () -> trie.add("a+", "s"));
        assertTrue(trie.isEmpty());
    }

    @Test
    @DisplayName("removing prunes only the nodes nothing else needs")
    void pruning() {
        SubscriptionTrie<String> trie = new SubscriptionTrie<>();
        trie.add("a/b/c/d", "s");
        trie.add("a/b", "s");
        trie.add("a/+/#", "s");
        assertEquals(6, trie.nodeCount()); // a, b, c, d, +, #: a/b ends on a node a/b/c/d made
        trie.remove("a/b/c/d", "s");
        assertEquals(4, trie.nodeCount()); // a, b, +, #
        trie.remove("a/b", "s");
        assertEquals(3, trie.nodeCount()); // a, +, #
        assertEquals(Set.of("a/+/#"), trie.filters());
        trie.remove("a/+/#", "s");
        assertEquals(0, trie.nodeCount());
    }

    @Test
    @DisplayName("thousands of values on one filter: add, match, remove stay exact")
    void manyValuesOnOneFilter() {
        SubscriptionTrie<Integer> trie = new SubscriptionTrie<>();
        for (int i = 0; i < 2000; i++) assertTrue(trie.add("alerts/#", i));
        for (int i = 0; i < 2000; i++) assertFalse(trie.add("alerts/#", i));
        assertEquals(2000, trie.matchList("alerts/x").size());
        for (int i = 0; i < 2000; i += 2) assertTrue(trie.remove("alerts/#", i));
        Set<Integer> left = new HashSet<>();
        trie.match("alerts", (f, v) -> assertTrue(left.add(v)));
        assertEquals(1000, left.size());
        assertTrue(left.stream().allMatch(v -> v % 2 == 1));
        for (int i = 1999; i > 0; i -= 2) assertTrue(trie.remove("alerts/#", i));
        assertTrue(trie.isEmpty());
        assertEquals(0, trie.nodeCount());
    }

    @Test
    @DisplayName("[MQTT-4.7.3-3] a 20000-level filter and topic match without a deep recursion")
    void deepTopics() {
        SubscriptionTrie<String> trie = new SubscriptionTrie<>();
        String deepFilter = String.join("/", Collections.nCopies(20_000, "+"));
        String deepTopic = "/".repeat(19_999); // 20000 empty levels
        trie.add(deepFilter, "s");
        trie.add("#", "t");
        assertEquals(Set.of("s", "t"), valuesOf(trie, deepTopic));
        assertEquals(Set.of("t"), valuesOf(trie, deepTopic + "/"));
        // assertTrue, not assertEquals: a failure must not print a 40000-character filter
        assertTrue(trie.filters().equals(Set.of(deepFilter, "#")), "filters() walks deep tries too");
        trie.remove(deepFilter, "s");
        trie.remove("#", "t");
        assertEquals(0, trie.nodeCount());
    }

    @Test
    @DisplayName("a visitor that changes the trie fails fast; a visitor that matches again is fine")
    void visitorRules() {
        SubscriptionTrie<String> trie = new SubscriptionTrie<>();
        trie.add("a/+", "s1");
        trie.add("a/b", "s2");
        assertThrows(ConcurrentModificationException.class, () -> trie.match("a/b", (f, v) -> trie.add("x", "y")));
        List<String> nested = new ArrayList<>();
        trie.match("a/b", (f, v) -> trie.match("a/c", (f2, v2) -> nested.add(v + ">" + v2)));
        assertEquals(Set.of("s1>s1", "s2>s1"), new HashSet<>(nested));
        assertEquals(3, trie.matchList("a/b").size() + trie.matchList("a/c").size());
    }

    // ---- properties: the trie agrees with the brute force oracle ----

    /** Filters from levels {a, b, $x, +, ""} with an optional final '#': always valid. */
    @Provide
    Arbitrary<String> filters() {
        Arbitrary<List<String>> levels = Arbitraries.of("a", "b", "$x", "+", "").list().ofMaxSize(4);
        return Combinators.combine(levels, Arbitraries.of(false, true)).as((ls, hash) -> {
            List<String> all = new ArrayList<>(ls);
            if (hash) all.add("#");
            return String.join("/", all);
        }).filter(f -> !f.isEmpty());
    }

    @Provide
    Arbitrary<String> topics() {
        return Arbitraries.of("a", "b", "$x", "").list().ofMinSize(1).ofMaxSize(5)
                .map(ls -> String.join("/", ls))
                .filter(t -> !t.isEmpty());
    }

    @Property(tries = 300)
    @Label("4.7 match(topic) is exactly the set of (filter, value) with TopicFilters.matches, each once")
    void matchEqualsBruteForce(@ForAll @Size(max = 40) List<@From("filters") String> filters,
                               @ForAll @Size(min = 1, max = 10) List<@From("topics") String> topics) {
        SubscriptionTrie<Integer> trie = new SubscriptionTrie<>();
        Set<Match<Integer>> pairs = new LinkedHashSet<>();
        for (int i = 0; i < filters.size(); i++) {
            assertTrue(TopicFilters.isValidFilter(filters.get(i)), filters.get(i));
            Match<Integer> pair = new Match<>(filters.get(i), i % 3); // repeats and shared filters
            assertEquals(pairs.add(pair), trie.add(pair.filter(), pair.value()));
        }
        assertEquals(pairs.size(), trie.size());
        for (String topic : topics) assertSameAsBruteForce(trie, pairs, topic);
    }

    @Property(tries = 200)
    @Label("add then remove every pair, in any order, leaves an empty trie with no nodes")
    void addRemoveSymmetry(@ForAll @Size(max = 40) List<@From("filters") String> filters,
                           @ForAll @Size(min = 1, max = 5) List<@From("topics") String> topics,
                           @ForAll Random random) {
        SubscriptionTrie<Integer> trie = new SubscriptionTrie<>();
        List<Match<Integer>> added = new ArrayList<>();
        for (int i = 0; i < filters.size(); i++) {
            Match<Integer> pair = new Match<>(filters.get(i), i % 3);
            if (trie.add(pair.filter(), pair.value())) added.add(pair);
        }
        Collections.shuffle(added, random);
        Set<Match<Integer>> remaining = new LinkedHashSet<>(added);
        for (int i = 0; i < added.size(); i++) {
            Match<Integer> pair = added.get(i);
            assertTrue(trie.remove(pair.filter(), pair.value()), pair.toString());
            assertFalse(trie.remove(pair.filter(), pair.value()), pair.toString());
            remaining.remove(pair);
            assertEquals(remaining.size(), trie.size());
            if (i == added.size() / 2) { // half way: what is left still matches right
                for (String topic : topics) assertSameAsBruteForce(trie, remaining, topic);
                assertEquals(filtersOf(remaining), trie.filters());
            }
        }
        assertTrue(trie.isEmpty());
        assertEquals(0, trie.nodeCount());
        assertTrue(trie.filters().isEmpty());
        for (String topic : topics) assertTrue(trie.matchList(topic).isEmpty());
    }

    private static void assertSameAsBruteForce(SubscriptionTrie<Integer> trie, Set<Match<Integer>> pairs, String topic) {
        Set<Match<Integer>> expected = new HashSet<>();
        for (Match<Integer> p : pairs) {
            if (TopicFilters.matches(p.filter(), topic)) expected.add(p);
        }
        List<Match<Integer>> actual = trie.matchList(topic);
        assertEquals(expected, new HashSet<>(actual), "topic " + topic);
        assertEquals(expected.size(), actual.size(), "each pair once, topic " + topic);
    }

    private static Set<String> filtersOf(Set<Match<Integer>> pairs) {
        Set<String> out = new HashSet<>();
        for (Match<Integer> p : pairs) out.add(p.filter());
        return out;
    }

    private static Set<String> valuesOf(SubscriptionTrie<String> trie, String topic) {
        Set<String> out = new HashSet<>();
        trie.match(topic, (f, v) -> out.add(v));
        return out;
    }
}
