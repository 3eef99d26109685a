package org.swarmmq.protocol.topics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.swarmmq.protocol.ProtocolException;
import org.swarmmq.protocol.packets.ReasonCode;
import org.swarmmq.protocol.topics.TopicFilters.SharedFilter;

/**
 * Section 4.7 and 4.8.2, one table per rule. Rule ids follow MQTT 3.1.1 where 3.1.1 and 5.0
 * number the wildcard rules differently (see {@link TopicFilters}).
 */
class TopicFiltersTest {

    // ---- Topic Filter validity ----

    @ParameterizedTest(name = "valid filter \"{0}\"")
    @DisplayName("[MQTT-4.7.1-2][MQTT-4.7.1-3] wildcards in their places are accepted")
    @ValueSource(strings = {"#", "+", "+/+", "a/+/b", "/", "a//b", "/#", "a/#", "+/#", "/+", "+/", "$SYS/#",
            "sport/tennis/player1", "sport/tennis/+", "sport/+/player1", "a b/ c", "$share", "é/ü/€/😀"})
    void validFilters(String filter) {
        assertTrue(TopicFilters.isValidFilter(filter));
        TopicFilters.validate(filter); // does not throw
    }

    @ParameterizedTest(name = "invalid filter \"{0}\"")
    @DisplayName("[MQTT-4.7.1-2] '#' must be alone in the last level")
    @ValueSource(strings = {"a/#/b", "#x", "a/b#", "x#", "##", "#/", "#/a", "a/#/", "sport/tennis#", "#+"})
    void hashOutOfPlace(String filter) {
        assertInvalidFilter(filter, "MQTT-4.7.1-2");
    }

    @ParameterizedTest(name = "invalid filter \"{0}\"")
    @DisplayName("[MQTT-4.7.1-3] '+' must occupy an entire level")
    @ValueSource(strings = {"a+", "+a", "a/b+/c", "++", "+#", "sport+", "a/++/b"})
    void plusOutOfPlace(String filter) {
        assertInvalidFilter(filter, "MQTT-4.7.1-3");
    }

    @Test
    @DisplayName("[MQTT-4.7.3-1] a Topic Filter is at least one character long")
    void emptyFilter() {
        assertInvalidFilter("", "MQTT-4.7.3-1");
    }

    @ParameterizedTest(name = "invalid filter with NUL at {index}")
    @DisplayName("[MQTT-4.7.3-2] a Topic Filter must not contain U+0000")
    @ValueSource(strings = {"\u0000", "a/\u0000", "a\u0000b/#"})
    void nulInFilter(String filter) {
        assertInvalidFilter(filter, "MQTT-4.7.3-2");
    }

    @Test
    @DisplayName("[MQTT-4.7.3-3] a Topic Filter is at most 65535 UTF-8 bytes, counted in bytes not chars")
    void filterLength() {
        assertTrue(TopicFilters.isValidFilter("a".repeat(65_535)));
        assertInvalidFilter("a".repeat(65_536), "MQTT-4.7.3-3");
        assertTrue(TopicFilters.isValidFilter("é".repeat(32_766) + "/#")); // 2 bytes each: 65532 + 2
        assertFalse(TopicFilters.isValidFilter("é".repeat(32_767) + "/#")); // 65534 + 2
        assertFalse(TopicFilters.isValidFilter("é".repeat(32_768))); // 65536 bytes in 32768 chars
        assertTrue(TopicFilters.isValidFilter("€".repeat(21_845))); // 3 bytes each: 65535
        assertFalse(TopicFilters.isValidFilter("€".repeat(21_846)));
        assertTrue(TopicFilters.isValidFilter("😀".repeat(16_383))); // 4 bytes per surrogate pair: 65532
        assertFalse(TopicFilters.isValidFilter("😀".repeat(16_384)));
    }

    // ---- Topic Name validity ----

    @ParameterizedTest(name = "valid topic \"{0}\"")
    @DisplayName("[MQTT-4.7.3-1] Topic Names of any non-empty level structure are accepted")
    @ValueSource(strings = {"a", "/", "//", "a//b", "/finance", "$SYS/x", " ", "a b", "sport/tennis/player1/", "é/€"})
    void validTopicNames(String topic) {
        assertTrue(TopicFilters.isValidTopicName(topic));
        TopicFilters.validateTopicName(topic);
    }

    @ParameterizedTest(name = "invalid topic \"{0}\"")
    @DisplayName("[MQTT-4.7.1-1] wildcards must not be used within a Topic Name")
    @ValueSource(strings = {"+", "#", "a/+", "a/#", "a#b", "a+b", "sport/tennis/#"})
    void wildcardInTopicName(String topic) {
        assertInvalidTopic(topic, "MQTT-4.7.1-1");
    }

    @Test
    @DisplayName("[MQTT-4.7.3-1][MQTT-4.7.3-2][MQTT-4.7.3-3] Topic Name: non-empty, no U+0000, at most 65535 bytes")
    void topicNameLimits() {
        assertInvalidTopic("", "MQTT-4.7.3-1");
        assertInvalidTopic("a/\u0000", "MQTT-4.7.3-2");
        assertTrue(TopicFilters.isValidTopicName("a".repeat(65_535)));
        assertInvalidTopic("a".repeat(65_536), "MQTT-4.7.3-3");
        assertInvalidTopic("é".repeat(32_768), "MQTT-4.7.3-3");
    }

    // ---- Matching ----

    @ParameterizedTest(name = "\"{0}\" vs \"{1}\" -> {2}")
    @DisplayName("4.7.1.2 '#' matches the parent level and any number of child levels")
    @CsvSource(delimiter = '|', value = {
        "sport/tennis/player1/# | sport/tennis/player1                  | true",
        "sport/tennis/player1/# | sport/tennis/player1/ranking          | true",
        "sport/tennis/player1/# | sport/tennis/player1/score/wimbledon  | true",
        "sport/#                | sport                                 | true",
        "sport/#                | sport/                                | true",
        "sport/#                | sports                                | false",
        "sport/#                | /sport                                | false",
        "#                      | a/b/c                                 | true",
        "#                      | /                                     | true",
        "/#                     | /a                                    | true",
        "/#                     | a                                     | false",
        "a/+/#                  | a                                     | false",
        "a/+/#                  | a/b                                   | true",
        "a/+/#                  | a/b/c/d                               | true",
    })
    void multiLevelWildcard(String filter, String topic, boolean expected) {
        assertEquals(expected, TopicFilters.matches(filter, topic));
    }

    @ParameterizedTest(name = "\"{0}\" vs \"{1}\" -> {2}")
    @DisplayName("4.7.1.3 '+' matches exactly one level, the empty level too")
    @CsvSource(delimiter = '|', value = {
        "sport/tennis/+ | sport/tennis/player1          | true",
        "sport/tennis/+ | sport/tennis/player2          | true",
        "sport/tennis/+ | sport/tennis/player1/ranking  | false",
        "sport/+        | sport                         | false",
        "sport/+        | sport/                        | true",
        "+/+            | /finance                      | true",
        "/+             | /finance                      | true",
        "+              | /finance                      | false",
        "+              | a                             | true",
        "a/+/b          | a//b                          | true",
        "a/+/b          | a/x/y/b                       | false",
        "+/+/+          | //                            | true",
        "a/+            | a/$x                          | true",
    })
    void singleLevelWildcard(String filter, String topic, boolean expected) {
        assertEquals(expected, TopicFilters.matches(filter, topic));
    }

    @ParameterizedTest(name = "\"{0}\" vs \"{1}\" -> {2}")
    @DisplayName("[MQTT-4.7.2-1] a filter starting with a wildcard does not match a topic starting with '$'")
    @CsvSource(delimiter = '|', value = {
        "#                 | $SYS/monitor/Clients  | false",
        "+/monitor/Clients | $SYS/monitor/Clients  | false",
        "$SYS/#            | $SYS/monitor/Clients  | true",
        "$SYS/monitor/+    | $SYS/monitor/Clients  | true",
        "#                 | $                     | false",
        "+                 | $                     | false",
        "$                 | $                     | true",
        "+/#               | $x/a                  | false",
        "#                 | a/$SYS                | true",
        "/#                | /$SYS                 | true",
    })
    void dollarTopics(String filter, String topic, boolean expected) {
        assertEquals(expected, TopicFilters.matches(filter, topic));
    }

    @ParameterizedTest(name = "\"{0}\" vs \"{1}\" -> {2}")
    @DisplayName("4.7.3 levels are compared exactly: case, empty levels and trailing '/' count")
    @CsvSource(delimiter = '|', value = {
        "ACCOUNTS        | ACCOUNTS  | true",
        "ACCOUNTS        | Accounts  | false",
        "a/b             | a/b/      | false",
        "a/b/            | a/b       | false",
        "/a/b            | a/b       | false",
        "a//b            | a/b       | false",
        "a//b            | a//b      | true",
        "/               | /         | true",
        "a/b/c           | a/b       | false",
        "a/b             | a/b/c     | false",
        "é/€             | é/€       | true",
    })
    void exactLevels(String filter, String topic, boolean expected) {
        assertEquals(expected, TopicFilters.matches(filter, topic));
    }

    // ---- Shared Subscriptions ----

    @ParameterizedTest(name = "\"{0}\" -> share \"{1}\", filter \"{2}\"")
    @DisplayName("4.8.2 $share/{ShareName}/{filter} splits into ShareName and the filter matched")
    @CsvSource(delimiter = '|', value = {
        "$share/consumer1/sport/tennis/+ | consumer1 | sport/tennis/+",
        "$share/consumer1//finance       | consumer1 | /finance",
        "$share/g/#                      | g         | #",
        "$share/g/$share/x               | g         | $share/x",
    })
    void sharedFilters(String filter, String shareName, String inner) {
        assertEquals(new SharedFilter(shareName, inner), TopicFilters.parseShared(filter));
    }

    @ParameterizedTest(name = "\"{0}\" is not shared")
    @DisplayName("4.8.2 only a filter starting with \"$share/\" is a Shared Subscription")
    @ValueSource(strings = {"a/b", "#", "$share", "$shared/x", "$SHARE/g/a", "x/$share/g/a"})
    void notShared(String filter) {
        assertNull(TopicFilters.parseShared(filter));
    }

    @ParameterizedTest(name = "invalid shared \"{0}\"")
    @DisplayName("[MQTT-4.8.2-1] the ShareName is at least one character long")
    @ValueSource(strings = {"$share//a", "$share//"})
    void emptyShareName(String filter) {
        assertInvalidShared(filter, "MQTT-4.8.2-1");
    }

    @ParameterizedTest(name = "invalid shared \"{0}\"")
    @DisplayName("[MQTT-4.8.2-2] the ShareName has no '/', '+' or '#' and is followed by '/' and a filter")
    @ValueSource(strings = {"$share/g", "$share/g+/a", "$share/+/a", "$share/#/a", "$share/a#/b"})
    void badShareName(String filter) {
        assertInvalidShared(filter, "MQTT-4.8.2-2");
    }

    @ParameterizedTest(name = "invalid shared \"{0}\" -> {1}")
    @DisplayName("[MQTT-4.8.2-2] the filter after the ShareName follows 4.7")
    @CsvSource(delimiter = '|', value = {
        "$share/g/        | MQTT-4.7.3-1",
        "$share/g/a/#/b   | MQTT-4.7.1-2",
        "$share/g/a+      | MQTT-4.7.1-3",
        "$share/g/a\u0000b | MQTT-4.7.3-2",
        "$share/g\u0000/a | MQTT-4.7.3-2",
    })
    void badInnerFilter(String filter, String rule) {
        assertInvalidShared(filter, rule);
    }

    @Test
    @DisplayName("[MQTT-4.7.3-3] a Shared Subscription filter is at most 65535 bytes as a whole")
    void sharedLength() {
        String prefix = "$share/g/";
        assertEquals("a".repeat(65_535 - prefix.length()),
                TopicFilters.parseShared(prefix + "a".repeat(65_535 - prefix.length())).filter());
        assertInvalidShared(prefix + "a".repeat(65_536 - prefix.length()), "MQTT-4.7.3-3");
    }

    @Test
    @DisplayName("isValidSubscription: ordinary filters and well formed $share ones [MQTT-4.8.2-1] [MQTT-4.8.2-2]")
    void validSubscription() {
        for (String ok : new String[] {"a/b", "#", "$share/g/a/#", "$share/g/+", "$share/g//", "$shared/x", "$share"}) {
            assertTrue(TopicFilters.isValidSubscription(ok), ok);
        }
        for (String bad : new String[] {"", "a/#/b", "$share/g", "$share//a", "$share/g+/a", "$share/g/a/#/b", "$share/g/"}) {
            assertFalse(TopicFilters.isValidSubscription(bad), bad);
        }
    }

    private static void assertInvalidFilter(String filter, String rule) {
        assertFalse(TopicFilters.isValidFilter(filter));
        ProtocolException e = assertThrows(ProtocolException.class, () -> TopicFilters.validate(filter));
        assertEquals(ReasonCode.TOPIC_FILTER_INVALID, e.reasonCode());
        assertTrue(e.getMessage().contains(rule), e.getMessage());
    }

    private static void assertInvalidTopic(String topic, String rule) {
        assertFalse(TopicFilters.isValidTopicName(topic));
        ProtocolException e = assertThrows(ProtocolException.class, () -> TopicFilters.validateTopicName(topic));
        assertEquals(ReasonCode.TOPIC_NAME_INVALID, e.reasonCode());
        assertTrue(e.getMessage().contains(rule), e.getMessage());
    }

    private static void assertInvalidShared(String filter, String rule) {
        ProtocolException e = assertThrows(ProtocolException.class, () -> TopicFilters.parseShared(filter));
        assertEquals(ReasonCode.TOPIC_FILTER_INVALID, e.reasonCode());
        assertTrue(e.getMessage().contains(rule), e.getMessage());
    }
}
