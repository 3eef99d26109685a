package org.swarmmq.actors.topic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How topics and filters map onto topic entities: by first level, wildcard-first ones to "#". */
class TopicRootsTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @DisplayName("entity id of a topic name or filter")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
            "a/b        | r:a",
            "a          | r:a",
            "a/#        | r:a",
            "a/+/c      | r:a",
            "/a         | 'r:'",   // 4.7.1.1: a leading slash makes a zero-length first level
            "/          | 'r:'",
            "+/a        | #",
            "+          | #",
            "#          | #",
            "$SYS/x     | r:$SYS", // $ topics are ordinary roots; the $ rule lives in matching
            "$SYS       | r:$SYS",
    })
    void entityIdOf(String topicOrFilter, String entityId) {
        assertEquals(entityId, TopicRoots.entityIdOf(topicOrFilter));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @DisplayName("4.8.2: a Shared Subscription lives in the entity its inner filter would")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
            "$share/g/a/b     | r:a",
            "$share/g/#       | #",
            "$share/g/+/x     | #",
            "$share/g//a      | 'r:'",
            "$share/g/$SYS/x  | r:$SYS",
            "a/b              | r:a",
            "$shared/x        | r:$shared",
    })
    void entityIdOfFilter(String filter, String entityId) {
        assertEquals(entityId, TopicRoots.entityIdOfFilter(filter));
    }

    @org.junit.jupiter.api.Test
    @DisplayName("no root entity id can equal the wildcard entity's id")
    void wildcardIdIsDistinct() {
        assertEquals("#", TopicRoots.WILDCARD);
        for (String t : new String[] {"a", "", "$SYS/x", "r:/x"}) {
            org.junit.jupiter.api.Assertions.assertTrue(TopicRoots.entityIdOf(t).startsWith("r:"), t);
        }
    }
}
