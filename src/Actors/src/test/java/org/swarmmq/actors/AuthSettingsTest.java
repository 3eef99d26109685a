package org.swarmmq.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.swarmmq.protocol.Bytes;
import org.swarmmq.protocol.auth.ScramCredentials;
import org.swarmmq.protocol.auth.ScramUsers;
import org.swarmmq.protocol.channel.auth.Authentication;

/** swarmmq.auth read from configuration: defaults, a users file, and settings that must stop a node. */
class AuthSettingsTest {
    @TempDir
    Path dir;

    private static Config config(String hocon) {
        return ConfigFactory.parseString(hocon).withFallback(ConfigFactory.defaultReference()).resolve().getConfig("swarmmq");
    }

    private Path users(String... lines) throws Exception {
        Path f = dir.resolve("users");
        Files.write(f, List.of(lines));
        return f;
    }

    @Test
    void nothingConfiguredLetsEveryoneIn() {
        assertSame(Authentication.NONE, AuthSettings.from(config("")));
    }

    @Test
    void usersFileGivesScramAndPasswordChecks() throws Exception {
        Path f = users("# comment", ScramUsers.line("alice", ScramCredentials.fromPassword("wonderland")));
        Authentication a = AuthSettings.from(config("swarmmq.auth.users-file = \"" + f + "\""));
        assertEquals(List.of("SCRAM-SHA-256"), List.copyOf(a.mechanisms().keySet()));
        assertTrue(a.passwords().check("alice", Bytes.utf8("wonderland")));
        assertTrue(!a.passwords().check("alice", Bytes.utf8("x")) && !a.passwords().check("bob", Bytes.utf8("wonderland")));
        assertTrue(!a.required());

        Authentication plainOnly = AuthSettings.from(config("swarmmq.auth { users-file = \"" + f + "\", mechanisms = \"\" }"));
        assertTrue(plainOnly.mechanisms().isEmpty());
    }

    @Test
    void badSettingsStopTheNode() throws Exception {
        Path bad = users("alice:SCRAM-SHA-256$4096:notbase64!$x:y");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AuthSettings.from(config("swarmmq.auth.users-file = \"" + bad + "\"")));
        assertTrue(e.getMessage().contains("line 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AuthSettings.from(config("swarmmq.auth.required = true")));
        assertThrows(IllegalArgumentException.class,
                () -> AuthSettings.from(config("swarmmq.auth.users-file = \"" + dir.resolve("missing") + "\"")));
        Path ok = users(ScramUsers.line("alice", ScramCredentials.fromPassword("w")));
        assertThrows(IllegalArgumentException.class, () -> AuthSettings.from(config(
                "swarmmq.auth { users-file = \"" + ok + "\", mechanisms = \"SCRAM-SHA-1\" }")));
    }
}
