package org.swarmmq.protocol.auth;

import java.util.Objects;
import org.swarmmq.protocol.packets.ReasonCode;

/** What one step of an {@link AuthSession} decided. */
public sealed interface AuthResult {
    /** More is needed: send {@code data} to the client in AUTH 0x18 Continue authentication [MQTT-4.12.0-2]. */
    record Continue(byte[] data) implements AuthResult {
        public Continue {
            Objects.requireNonNull(data, "data");
        }
    }

    /**
     * Authenticated as {@code username} (null if the mechanism names nobody); {@code data}, if not
     * empty, goes to the client in the CONNACK or AUTH 0x00 (SCRAM's server-final-message).
     */
    record Success(byte[] data, String username) implements AuthResult {
        public Success {
            Objects.requireNonNull(data, "data");
        }
    }

    /**
     * Refused: the connection gets {@code reasonCode} (an error code: 0x86, 0x87, ...) in CONNACK
     * or DISCONNECT and is closed [MQTT-4.12.0-4] [MQTT-4.12.1-2]; {@code why} is for the log only.
     */
    record Failure(ReasonCode reasonCode, String why) implements AuthResult {
        public Failure {
            if (!reasonCode.isError()) throw new IllegalArgumentException("not an error code: " + reasonCode);
            Objects.requireNonNull(why, "why");
        }
    }
}
