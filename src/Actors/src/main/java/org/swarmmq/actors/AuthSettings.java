package org.swarmmq.actors;

import com.typesafe.config.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.swarmmq.protocol.auth.Authenticator;
import org.swarmmq.protocol.auth.PasswordCheck;
import org.swarmmq.protocol.auth.ScramCredentials;
import org.swarmmq.protocol.auth.ScramSha256;
import org.swarmmq.protocol.auth.ScramUsers;
import org.swarmmq.protocol.channel.auth.Authentication;

/**
 * {@code swarmmq.auth}: the users file (SCRAM-SHA-256 credentials), the enhanced authentication
 * mechanisms offered, and whether authentication is required. Read once at start; a bad file or
 * setting stops the node rather than let it run open.
 */
public final class AuthSettings {
    private AuthSettings() {
    }

    public static Authentication from(Config swarmmq) {
        Config c = swarmmq.getConfig("auth");
        String file = c.getString("users-file").strip();
        boolean required = c.getBoolean("required");
        if (file.isEmpty()) {
            if (required) {
                throw new IllegalArgumentException("swarmmq.auth.required is on but swarmmq.auth.users-file is not set:"
                        + " no client could connect");
            }
            return Authentication.NONE;
        }
        Map<String, ScramCredentials> users;
        try {
            users = Map.copyOf(ScramUsers.parse(Files.readAllLines(Path.of(file))));
        } catch (IOException e) {
            throw new IllegalArgumentException("swarmmq.auth.users-file " + file + ": " + e, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("swarmmq.auth.users-file " + file + ", " + e.getMessage(), e);
        }
        List<Authenticator> mechanisms = new ArrayList<>();
        for (String m : c.getString("mechanisms").split(",")) {
            m = m.strip();
            if (m.isEmpty()) continue;
            if (!m.equals(ScramSha256.METHOD)) {
                throw new IllegalArgumentException("swarmmq.auth.mechanisms: '" + m + "' unknown (" + ScramSha256.METHOD + " is)");
            }
            mechanisms.add(new ScramSha256(users::get));
        }
        return Authentication.of(mechanisms, PasswordCheck.of(users), required);
    }
}
