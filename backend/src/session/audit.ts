import { createHmac, randomBytes } from 'crypto';
import type { Logger } from 'tsrpc';

export type SessionAuditEventType = 'created' | 'regenerated' | 'renewed' | 'destroyed' | 'expired' | 'revoked' | 'rejected';

/**
 * One event of a session's life, for an audit log. It never carries a session id: `sessionHash`
 * is a salted hash, stable for one id under one salt, so events of one session can be followed.
 */
export interface SessionAuditEvent {
    type: SessionAuditEventType;
    sessionHash: string;
    /** For regenerated and renewed: the hash of the id that was replaced. */
    previousHash?: string;
    userId?: string;
    /** For rejected: 'tampered' (bad shape or signature) or 'unknown' (validly signed, but no live session: unknown, expired or destroyed). */
    reason?: string;
    at: number;
}

export type SessionAuditHook = (event: SessionAuditEvent) => void;

/** Hashes ids for audit events and hands events to the app's hook, which can never break a call. */
export class AuditTrail {
    readonly #hook: SessionAuditHook | undefined;
    readonly #salt: Buffer;

    constructor(hook: SessionAuditHook | undefined, salt: string) {
        this.#hook = hook;
        // Without a configured salt, hashes are stable for this process only.
        this.#salt = salt ? Buffer.from(salt, 'utf8') : randomBytes(32);
    }

    /** False without a hook: callers then skip building events nobody receives. */
    get active(): boolean {
        return this.#hook !== undefined;
    }

    /** Salted hash of a value that identifies a session: its store key, or a rejected cookie. */
    hash(value: string): string {
        return createHmac('sha256', this.#salt).update(value).digest('base64url').slice(0, 22);
    }

    /** `key` is the session's store key (or, for a rejected cookie, the value presented). */
    emit(event: Omit<SessionAuditEvent, 'at' | 'sessionHash' | 'previousHash'> & { key: string; previousKey?: string }, logger?: Logger): void {
        if (!this.#hook) return;
        const { key, previousKey, ...rest } = event;
        const audited: SessionAuditEvent = { ...rest, sessionHash: this.hash(key), at: Date.now() };
        if (previousKey !== undefined) audited.previousHash = this.hash(previousKey);
        try {
            this.#hook(audited);
        } catch (e) {
            logger?.error('[tsrpc-session] audit hook threw:', (e as Error)?.message ?? e);
        }
    }
}
