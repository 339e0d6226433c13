import type { CookieUpdate } from '../../../../shared/protocols/base';
import { ResolvedSessionOptions } from '../plugin/options';
import { SessionIdCodec } from './SessionIdCodec';
import { SessionState } from './SessionState';

/**
 * The session cookie's side of a call, decided here and nowhere else: sent (signed, with its
 * lifetime) when a session is created, renewed, re-signed or rolled; cleared when the client holds
 * one that is invalid or gone. By which carrier it travels is carriers/carriers.ts's business.
 */
export type SessionCookieUpdate = CookieUpdate | undefined;

/** The client drops its session cookie. */
export const CLEARED: CookieUpdate = Object.freeze({ value: null });

/** The signed id with its lifetime, or nothing when the state has no cookie to send. */
export function sessionCookieOf(state: SessionState, options: ResolvedSessionOptions, codec: SessionIdCodec, now: number): SessionCookieUpdate {
    if (state.kind === 'gone' || state.kind === 'followed') return undefined;
    const lifetime = cookieLifetimeMs(state, options, now);
    return lifetime === undefined ? undefined : { value: codec.sign(state.id), maxAgeMs: lifetime };
}

/** The cookie's lifetime when it is sent now. */
function cookieLifetimeMs(state: SessionState, options: ResolvedSessionOptions, now: number): number | undefined {
    const record = state.kind === 'unread' || state.kind === 'gone' ? undefined : state.record;
    // A write that never read the session knows its new idle expiry, not its absolute one.
    if (options.rolling) return Math.max(0, (record ? Math.min(record.idleExpiresAt, record.absoluteExpiresAt) : now + options.idleTimeoutMs) - now);
    return record ? Math.max(0, record.absoluteExpiresAt - now) : undefined;
}
