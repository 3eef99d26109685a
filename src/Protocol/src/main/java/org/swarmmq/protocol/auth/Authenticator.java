package org.swarmmq.protocol.auth;

/**
 * One MQTT 5 enhanced authentication mechanism (4.12), named by the Authentication Method a
 * client puts in CONNECT (3.1.2.11.9), e.g. "SCRAM-SHA-256". Pure: no I/O, no clock. Each
 * exchange, at CONNECT or at a re-authentication (4.12.1), is a new {@link AuthSession}.
 */
public interface Authenticator {
    /** The Authentication Method this mechanism answers to. */
    String method();

    /** A new exchange; the client's first Authentication Data goes to its first {@link AuthSession#step}. */
    AuthSession newSession();
}
