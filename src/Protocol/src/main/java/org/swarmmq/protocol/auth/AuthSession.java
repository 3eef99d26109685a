package org.swarmmq.protocol.auth;

/**
 * One authentication exchange, step by step: the client's Authentication Data in (from CONNECT
 * or AUTH; empty when absent), what to answer out. After a {@link AuthResult.Success} or
 * {@link AuthResult.Failure} the session is finished.
 *
 * <p>Whatever the client sends, {@code step} returns a result: bad input is a
 * {@link AuthResult.Failure}, never an exception (the channel guards against one anyway).
 */
public interface AuthSession {
    AuthResult step(byte[] data);
}
