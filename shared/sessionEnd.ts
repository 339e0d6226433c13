/**
 * Close reasons of a WebSocket the server closes because its session is over: the client jar
 * (`enableCookies`) reads them to drop the session and reconnect without it.
 */
export const SESSION_ENDED_REASON = 'tsrpc-session: session ended';
export const SESSION_REVOKED_REASON = 'tsrpc-session: session revoked';

export type SessionEndReason = 'ended' | 'revoked';

/** Which end a close reason names, or undefined for any other close. */
export function sessionEndOf(closeReason: unknown): SessionEndReason | undefined {
    if (closeReason === SESSION_ENDED_REASON) return 'ended';
    if (closeReason === SESSION_REVOKED_REASON) return 'revoked';
    return undefined;
}
