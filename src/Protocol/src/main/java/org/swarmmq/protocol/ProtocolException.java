package org.swarmmq.protocol;

import org.swarmmq.protocol.packets.ReasonCode;

/**
 * The one error the protocol layer raises: a packet or stream that breaks a rule of the spec.
 * It carries the MQTT 5 reason code the server answers with (CONNACK or DISCONNECT) before it
 * closes the connection, and a message that names the rule, for the log.
 */
public final class ProtocolException extends RuntimeException {
    private final ReasonCode reasonCode;

    public ProtocolException(ReasonCode reasonCode, String message) {
        super(message, null, false, false); // no stack trace: this is an answer to input, not a bug
        this.reasonCode = reasonCode;
    }

    public static ProtocolException malformed(String message) {
        return new ProtocolException(ReasonCode.MALFORMED_PACKET, message);
    }

    public static ProtocolException protocolError(String message) {
        return new ProtocolException(ReasonCode.PROTOCOL_ERROR, message);
    }

    public ReasonCode reasonCode() {
        return reasonCode;
    }

    @Override
    public String toString() {
        return "ProtocolException(" + reasonCode + ": " + getMessage() + ")";
    }
}
