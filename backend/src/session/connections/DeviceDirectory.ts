import type { BaseConnection } from 'tsrpc';
import { AuditTrail } from '../observability/audit';
import { ConnectionBindings } from './ConnectionBindings';
import { GuardedStore } from '../guards/GuardedStore';
import { SessionIdCodec } from '../core/SessionIdCodec';
import type { DeviceInfo, SessionDevices } from '../core/SessionContext';
import { SESSION_REVOKED_REASON } from '../../../../shared/sessionEnd';

export type { DeviceInfo };

/** Lists and revokes a user's sessions, closing the WebSockets bound to a revoked one. */
export class DeviceDirectory implements SessionDevices {
    readonly #store: GuardedStore;
    readonly #codec: SessionIdCodec;
    readonly #bindings: ConnectionBindings;
    readonly #audit: AuditTrail;
    readonly #now: () => number;

    constructor(store: GuardedStore, codec: SessionIdCodec, bindings: ConnectionBindings, audit: AuditTrail, now: () => number) {
        this.#store = store;
        this.#codec = codec;
        this.#bindings = bindings;
        this.#audit = audit;
        this.#now = now;
    }

    async list(userId: string, currentStoreKey?: string): Promise<DeviceInfo[]> {
        const sessions = await this.#store.listByUser(userId, this.#now());
        return sessions
            .map(s => ({
                handle: this.#codec.deviceHandle(s.key),
                current: s.key === currentStoreKey,
                createdAt: s.createdAt,
                lastSeenAt: s.lastSeenAt,
                ...(s.label !== undefined && { label: s.label }),
            }))
            .sort((a, b) => b.lastSeenAt - a.lastSeenAt);
    }

    /** The store key behind a handle, if it is one of the user's live sessions. */
    async storeKeyOf(userId: string, handle: string): Promise<string | undefined> {
        const sessions = await this.#store.listByUser(userId, this.#now());
        return sessions.find(s => this.#codec.deviceHandle(s.key) === handle)?.key;
    }

    /** Destroys the given sessions of the user (and the successors of renewed ones). */
    async revoke(userId: string, storeKeys: string[], except?: BaseConnection): Promise<void> {
        await Promise.all(storeKeys.map(storeKey => this.#store.destroy(storeKey)));
        this.#revoked(userId, storeKeys, except);
    }

    /** Destroys every session of the user but the one stored under `exceptStoreKey`; returns how many. */
    async revokeAll(userId: string, exceptStoreKey?: string, except?: BaseConnection): Promise<number> {
        const storeKeys = await this.#store.destroyByUser(userId, exceptStoreKey);
        this.#revoked(userId, storeKeys, except);
        return storeKeys.length;
    }

    /**
     * Keeps the user within `max` live sessions: past it, ends the least recently used ones other
     * than `currentStoreKey`, each an `evicted` audit event, their WebSockets closed as on a revoke.
     * Runs after a write that put a session under the user (a login), on any store.
     */
    async capSessions(userId: string, currentStoreKey: string, max: number): Promise<void> {
        const sessions = await this.#store.listByUser(userId, this.#now());
        if (sessions.length <= max) return;
        const evicted = sessions
            .filter(s => s.key !== currentStoreKey)
            .sort((a, b) => a.lastSeenAt - b.lastSeenAt || a.createdAt - b.createdAt)
            .slice(0, sessions.length - max)
            .map(s => s.key);
        await Promise.all(evicted.map(storeKey => this.#store.destroy(storeKey)));
        for (const storeKey of evicted) {
            this.#bindings.close(storeKey, SESSION_REVOKED_REASON);
            this.#audit.emit({ type: 'evicted', storeKey, userId });
        }
    }

    #revoked(userId: string, storeKeys: string[], except: BaseConnection | undefined): void {
        for (const storeKey of storeKeys) {
            this.#bindings.close(storeKey, SESSION_REVOKED_REASON, except);
            this.#audit.emit({ type: 'revoked', storeKey, userId });
        }
    }
}
