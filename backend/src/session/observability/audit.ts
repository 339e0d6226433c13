import { createHmac, randomBytes } from 'crypto';
import type { Logger } from 'tsrpc';
import { isEvictionSource } from '../stores/evictions';
import type { SessionStore } from '../stores/SessionStore';
import type { SessionTelemetry } from './telemetry';

export type SessionAuditEventType = 'created' | 'regenerated' | 'renewed' | 'destroyed' | 'expired' | 'revoked' | 'rejected' | 'evicted';

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

/**
 * Hashes ids for audit events and hands events to the app's hook, which can never break a call;
 * counts every event into the session metrics of `telemetry`.
 */
export class AuditTrail {
    readonly #hook: SessionAuditHook | undefined;
    readonly #salt: Buffer;
    readonly #telemetry: SessionTelemetry | undefined;

    readonly #now: () => number;

    constructor(hook: SessionAuditHook | undefined, salt: string, now: () => number, telemetry?: SessionTelemetry) {
        this.#hook = hook;
        this.#now = now;
        this.#telemetry = telemetry;
        // Without a configured salt, hashes are stable for this process only.
        this.#salt = salt ? Buffer.from(salt, 'utf8') : randomBytes(32);
    }

    /** Salted hash of a value that identifies a session: its store key, or a rejected cookie. */
    hash(value: string): string {
        return createHmac('sha256', this.#salt).update(value).digest('base64url').slice(0, 22);
    }

    /**
     * Reports every live session `store` drops to make room (MemoryStore at `maxSessions`) as an
     * `evicted` event, with the user it belonged to.
     */
    followEvictions(store: SessionStore): void {
        if ((!this.#hook && !this.#telemetry) || !isEvictionSource(store)) return;
        store.onEvict(({ key, userId }) => this.emit({ type: 'evicted', storeKey: key, ...(userId !== undefined && { userId }) }));
    }

    /** An event of the session stored under `storeKey`. */
    emit(event: Omit<SessionAuditEvent, 'at' | 'sessionHash' | 'previousHash'> & { storeKey: string; previousStoreKey?: string }, logger?: Logger): void {
        this.#telemetry?.countSession(event.type, event.reason);
        // Without a hook nobody receives it: no salted hash per event (a rejected cookie is one per call).
        if (!this.#hook) return;
        const { storeKey, previousStoreKey, ...rest } = event;
        this.#deliver({ ...rest, sessionHash: this.hash(storeKey), at: this.#now(), ...(previousStoreKey !== undefined && { previousHash: this.hash(previousStoreKey) }) }, logger);
    }

    /** A session cookie that failed verification: its hash is of the value presented. */
    emitTampered(presented: string, logger?: Logger): void {
        this.#telemetry?.countSession('rejected', 'tampered');
        if (!this.#hook) return;
        this.#deliver({ type: 'rejected', reason: 'tampered', sessionHash: this.hash(presented), at: this.#now() }, logger);
    }

    #deliver(audited: SessionAuditEvent, logger: Logger | undefined): void {
        if (!this.#hook) return;
        try {
            this.#hook(audited);
        } catch (e) {
            logger?.error('[tsrpc-session] audit hook threw:', (e as Error)?.message ?? e);
        }
    }
}
