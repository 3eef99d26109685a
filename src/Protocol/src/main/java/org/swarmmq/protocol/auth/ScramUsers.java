package org.swarmmq.protocol.auth;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The users file: one user a line, {@code name:SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>}
 * (mosquitto_passwd's {@code name:hash} shape, PostgreSQL's SCRAM secret); blank lines and lines
 * starting with {@code #} are skipped. {@code swarmmq --scram-user NAME} prints such a line.
 */
public final class ScramUsers {
    private ScramUsers() {
    }

    /** The users, in file order; a malformed line fails with its line number (a node must not start half-configured). */
    public static Map<String, ScramCredentials> parse(List<String> lines) {
        Map<String, ScramCredentials> users = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            int at = line.indexOf(":" + ScramCredentials.PREFIX);
            if (at <= 0) throw new IllegalArgumentException("line " + (i + 1) + ": expected name:" + ScramCredentials.PREFIX + "...");
            String name = line.substring(0, at);
            try {
                if (users.put(name, ScramCredentials.parse(line.substring(at + 1))) != null) {
                    throw new IllegalArgumentException("user '" + name + "' appears twice");
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return users;
    }

    /** The line for {@code name}: what {@link #parse} reads back. */
    public static String line(String name, ScramCredentials credentials) {
        if (name.isEmpty() || name.contains("\n")) throw new IllegalArgumentException("bad user name");
        return name + ":" + credentials.format();
    }
}
