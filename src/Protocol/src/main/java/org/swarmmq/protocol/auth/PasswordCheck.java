package org.swarmmq.protocol.auth;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.swarmmq.protocol.Bytes;

/** Checks the User Name and Password of a plain CONNECT (3.1.3.5, 3.1.3.6) against known users. */
@FunctionalInterface
public interface PasswordCheck {
    /** Whether {@code username} exists and {@code password} (null when absent) is its password. */
    boolean check(String username, Bytes password);

    /** Against the SCRAM credentials: the same users, whichever way they log in. */
    static PasswordCheck of(Map<String, ScramCredentials> users) {
        return (username, password) -> {
            ScramCredentials c = users.get(username);
            if (c == null || password == null) return false;
            try {
                return c.matches(new String(password.toByteArray(), StandardCharsets.UTF_8));
            } catch (RuntimeException e) {
                return false; // e.g. an empty password, which PBKDF2 refuses
            }
        };
    }
}
