package org.swarmmq.protocol.channel.auth;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.swarmmq.protocol.auth.Authenticator;
import org.swarmmq.protocol.auth.PasswordCheck;

/**
 * How a connection authenticates, the same for every connection of a listener: the enhanced
 * authentication mechanisms offered (by Authentication Method), the check of plain user names and
 * passwords (null: none configured, any accepted unchecked), and whether a client must
 * authenticate at all ({@code required} false: one without credentials is let in, like
 * mosquitto's allow_anonymous).
 */
public record Authentication(Map<String, Authenticator> mechanisms, PasswordCheck passwords, boolean required) {
    /** Nothing configured: no mechanism, nobody checked, everyone in. */
    public static final Authentication NONE = new Authentication(Map.of(), null, false);

    public Authentication {
        mechanisms = Map.copyOf(mechanisms);
    }

    public static Authentication of(List<Authenticator> mechanisms, PasswordCheck passwords, boolean required) {
        Map<String, Authenticator> byMethod = new LinkedHashMap<>();
        for (Authenticator a : mechanisms) byMethod.put(a.method(), a);
        return new Authentication(byMethod, passwords, required);
    }
}
