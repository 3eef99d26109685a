package org.swarmmq.protocol.topics;

import org.swarmmq.protocol.ProtocolException;
import org.swarmmq.protocol.packets.ReasonCode;

/**
 * The rules of section 4.7 (Topic Names and Topic Filters) and 4.8.2 (Shared Subscriptions).
 *
 * <p>Rule ids: MQTT 3.1.1 and MQTT 5.0 number the wildcard rules differently. Where they differ
 * both are given, 3.1.1 first: "wildcards not in a Topic Name" is [MQTT-4.7.1-1] in 3.1.1 and
 * [MQTT-4.7.0-1] in 5.0; "'#' alone and last" is [MQTT-4.7.1-2] / [MQTT-4.7.1-1]; "'+' fills its
 * level" is [MQTT-4.7.1-3] / [MQTT-4.7.1-2]. The 4.7.2 and 4.7.3 ids are the same in both.
 *
 * <p>Nothing here normalises: topics are compared as the exact strings received, case and
 * empty levels included (4.7.3: "a/b" and "a//b" and "/a/b" are different topics).
 */
public final class TopicFilters {
    /** The prefix that makes a filter a Shared Subscription in MQTT 5 (4.8.2). */
    public static final String SHARED_PREFIX = "$share/";

    /** [MQTT-4.7.3-3]: a Topic Name or Filter is a UTF-8 Encoded String, so at most 65535 bytes. */
    public static final int MAX_UTF8_LENGTH = 65_535;

    private TopicFilters() {
    }

    /** A Shared Subscription's parts: {@code $share/{shareName}/{filter}}; matching uses {@code filter}. */
    public record SharedFilter(String shareName, String filter) {
    }

    public static boolean isValidFilter(String filter) {
        return filterProblem(filter) == null;
    }

    /** Throws {@link ProtocolException} with TOPIC_FILTER_INVALID naming the broken rule. */
    public static void validate(String filter) {
        String problem = filterProblem(filter);
        if (problem != null) throw new ProtocolException(ReasonCode.TOPIC_FILTER_INVALID, problem);
    }

    /**
     * Whether a SUBSCRIBE may use {@code filter}: an ordinary Topic Filter, or a well formed
     * Shared Subscription (4.8.2, [MQTT-4.8.2-1], [MQTT-4.8.2-2]) whatever the protocol level
     * (mosquitto takes {@code $share/...} from 3.1.1 clients too).
     */
    public static boolean isValidSubscription(String filter) {
        try {
            if (parseShared(filter) == null) validate(filter);
            return true;
        } catch (ProtocolException e) {
            return false;
        }
    }

    public static boolean isValidTopicName(String topic) {
        return topicNameProblem(topic) == null;
    }

    /** Throws {@link ProtocolException} with TOPIC_NAME_INVALID naming the broken rule. */
    public static void validateTopicName(String topic) {
        String problem = topicNameProblem(topic);
        if (problem != null) throw new ProtocolException(ReasonCode.TOPIC_NAME_INVALID, problem);
    }

    /**
     * The Shared Subscription in {@code filter}, or null when it does not start with
     * {@code $share/} (then it is an ordinary filter, and this method does not check it: call
     * {@link #validate}). A shared one is checked whole, ShareName and inner filter, and throws
     * TOPIC_FILTER_INVALID when broken. Only MQTT 5 defines Shared Subscriptions; the broker
     * takes them from 3.1/3.1.1 clients too, as mosquitto does.
     */
    public static SharedFilter parseShared(String filter) {
        if (!filter.startsWith(SHARED_PREFIX)) return null;
        int nameEnd = filter.indexOf('/', SHARED_PREFIX.length());
        if (nameEnd < 0) { // [MQTT-4.8.2-2] the ShareName MUST be followed by "/" and a Topic Filter
            throw invalidFilter("[MQTT-4.8.2-2] a ShareName must be followed by '/' and a Topic Filter");
        }
        String shareName = filter.substring(SHARED_PREFIX.length(), nameEnd);
        if (shareName.isEmpty()) { // [MQTT-4.8.2-1] ShareName at least one character long
            throw invalidFilter("[MQTT-4.8.2-1] the ShareName must be at least one character long");
        }
        // '/' cannot occur: the ShareName ends at the first '/'.
        if (shareName.indexOf('+') >= 0 || shareName.indexOf('#') >= 0) { // [MQTT-4.8.2-2]
            throw invalidFilter("[MQTT-4.8.2-2] the ShareName must not contain '/', '+' or '#'");
        }
        if (shareName.indexOf('\u0000') >= 0) { // [MQTT-4.7.3-2] holds for the whole filter
            throw invalidFilter("[MQTT-4.7.3-2] a Topic Filter must not contain U+0000");
        }
        String inner = filter.substring(nameEnd + 1);
        String problem = filterProblem(inner); // [MQTT-4.8.2-2] "... MUST be followed by a Topic Filter"
        if (problem != null) throw invalidFilter("in Shared Subscription: " + problem);
        if (!fitsUtf8(filter)) throw invalidFilter("[MQTT-4.7.3-3] a Topic Filter is at most 65535 UTF-8 bytes");
        return new SharedFilter(shareName, inner);
    }

    /**
     * Whether {@code topic} (a valid Topic Name) matches {@code filter} (a valid, non-shared
     * Topic Filter) by 4.7: '+' matches exactly one level, which may be empty; '#' matches its
     * parent level and any number of child levels; a filter starting with a wildcard does not
     * match a topic starting with '$'. For invalid input the answer is unspecified but this never
     * throws. Allocates nothing.
     */
    public static boolean matches(String filter, String topic) {
        int fl = filter.length();
        int tl = topic.length();
        // [MQTT-4.7.2-1] no wildcard at the first level matches a topic beginning with '$'
        if (tl > 0 && topic.charAt(0) == '$' && fl > 0 && isWildcard(filter.charAt(0))) return false;
        // f and t are the starts of the current levels; length + 1 means "no level left".
        int f = 0;
        int t = 0;
        while (f <= fl) {
            int fEnd = levelEnd(filter, f);
            int fLen = fEnd - f;
            if (fLen == 1 && filter.charAt(f) == '#') return true; // rest of topic, even none: 4.7.1.2
            if (t > tl) return false; // the filter has a level the topic lacks
            int tEnd = levelEnd(topic, t);
            boolean plus = fLen == 1 && filter.charAt(f) == '+'; // any one level: 4.7.1.3
            if (!plus && (fLen != tEnd - t || !filter.regionMatches(f, topic, t, fLen))) return false;
            f = fEnd + 1;
            t = tEnd + 1;
        }
        return t > tl; // both used up
    }

    /** Index of the '/' that ends the level starting at {@code from}, or the string's length. */
    static int levelEnd(String s, int from) {
        int end = s.indexOf('/', from);
        return end < 0 ? s.length() : end;
    }

    private static boolean isWildcard(char c) {
        return c == '+' || c == '#';
    }

    /** The rule {@code filter} breaks, or null when it is a valid Topic Filter. */
    private static String filterProblem(String filter) {
        if (filter.isEmpty()) return "[MQTT-4.7.3-1] a Topic Filter must be at least one character long";
        int n = filter.length();
        int levelStart = 0;
        for (int i = 0; i < n; i++) {
            char c = filter.charAt(i);
            if (c == '/') {
                levelStart = i + 1;
            } else if (c == '#') {
                // [MQTT-4.7.1-2] (3.1.1) / [MQTT-4.7.1-1] (5.0): '#' on its own or after '/', and last
                if (i != levelStart || i != n - 1) {
                    return "[MQTT-4.7.1-2] '#' must be alone in the last level of a Topic Filter";
                }
            } else if (c == '+') {
                // [MQTT-4.7.1-3] (3.1.1) / [MQTT-4.7.1-2] (5.0): '+' occupies an entire level
                if (i != levelStart || (i + 1 < n && filter.charAt(i + 1) != '/')) {
                    return "[MQTT-4.7.1-3] '+' must occupy an entire level of a Topic Filter";
                }
            } else if (c == '\u0000') {
                return "[MQTT-4.7.3-2] a Topic Filter must not contain U+0000";
            }
        }
        if (!fitsUtf8(filter)) return "[MQTT-4.7.3-3] a Topic Filter is at most 65535 UTF-8 bytes";
        return null;
    }

    /** The rule {@code topic} breaks, or null when it is a valid Topic Name. */
    private static String topicNameProblem(String topic) {
        if (topic.isEmpty()) return "[MQTT-4.7.3-1] a Topic Name must be at least one character long";
        for (int i = 0, n = topic.length(); i < n; i++) {
            char c = topic.charAt(i);
            if (c == '+' || c == '#') {
                // [MQTT-4.7.1-1] (3.1.1) / [MQTT-4.7.0-1] (5.0)
                return "[MQTT-4.7.1-1] a Topic Name must not contain the wildcard '" + c + "'";
            }
            if (c == '\u0000') return "[MQTT-4.7.3-2] a Topic Name must not contain U+0000";
        }
        if (!fitsUtf8(topic)) return "[MQTT-4.7.3-3] a Topic Name is at most 65535 UTF-8 bytes";
        return null;
    }

    /** Whether the UTF-8 form of {@code s} is at most 65535 bytes, counted without encoding it. */
    static boolean fitsUtf8(String s) {
        int n = s.length();
        if (n <= MAX_UTF8_LENGTH / 3) return true; // no char takes more than 3 bytes
        if (n > MAX_UTF8_LENGTH) return false; // every char takes at least 1 byte
        long bytes = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) bytes += 1;
            else if (c < 0x800) bytes += 2;
            else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4; // one supplementary code point, two chars
                i++;
            } else bytes += 3;
        }
        return bytes <= MAX_UTF8_LENGTH;
    }

    private static ProtocolException invalidFilter(String message) {
        return new ProtocolException(ReasonCode.TOPIC_FILTER_INVALID, message);
    }
}
