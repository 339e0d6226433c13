import type { BaseConnection, Logger } from 'tsrpc';
import { AuditTrail } from './audit';
import { ConnectionBindings } from './ConnectionBindings';
import { GuardedStore } from './GuardedStore';
import { SessionIdCodec } from './SessionIdCodec';

/** One of a user's sessions as a devices page shows it. */
export interface DeviceInfo {
    /** An opaque handle for RevokeDevice: never the session id. */
    id: string;
    /** The session of the call that asked. */
    current: boolean;
    createdAt: number;
    lastSeenAt: number;
    label?: string;
}

export const REVOKED_REASON = 'tsrpc-session: session revoked';

/** Lists and revokes a user's sessions, closing the WebSockets bound to a revoked one. */
export class DeviceDirectory {
    readonly #store: GuardedStore;
    readonly #codec: SessionIdCodec;
    readonly #bindings: ConnectionBindings;
    readonly #audit: AuditTrail;

    constructor(store: GuardedStore, codec: SessionIdCodec, bindings: ConnectionBindings, audit: AuditTrail) {
        this.#store = store;
        this.#codec = codec;
        this.#bindings = bindings;
        this.#audit = audit;
    }

    async list(userId: string, currentKey?: string, logger?: Logger): Promise<DeviceInfo[]> {
        const sessions = await this.#store.run(store => store.listByUser(userId, Date.now()), logger);
        return sessions
            .map(s => ({
                id: this.#codec.deviceHandle(s.key),
                current: s.key === currentKey,
                createdAt: s.createdAt,
                lastSeenAt: s.lastSeenAt,
                ...(s.label !== undefined && { label: s.label }),
            }))
            .sort((a, b) => b.lastSeenAt - a.lastSeenAt);
    }

    /** The store key behind a handle, if it is one of the user's live sessions. */
    async keyOf(userId: string, handle: string, logger?: Logger): Promise<string | undefined> {
        const sessions = await this.#store.run(store => store.listByUser(userId, Date.now()), logger);
        return sessions.find(s => this.#codec.deviceHandle(s.key) === handle)?.key;
    }

    /** Destroys the given sessions of the user. */
    async revokeKeys(userId: string, keys: string[], except?: BaseConnection, logger?: Logger): Promise<void> {
        await Promise.all(keys.map(key => this.#store.run(store => store.destroy(key), logger)));
        this.#revoked(userId, keys, except, logger);
    }

    /** Destroys every session of the user but `exceptKey`; returns how many. */
    async revokeAll(userId: string, exceptKey?: string, except?: BaseConnection, logger?: Logger): Promise<number> {
        const keys = await this.#store.run(store => store.destroyByUser(userId, exceptKey), logger);
        this.#revoked(userId, keys, except, logger);
        return keys.length;
    }

    #revoked(userId: string, keys: string[], except: BaseConnection | undefined, logger?: Logger): void {
        for (const key of keys) {
            this.#bindings.close(key, REVOKED_REASON, except);
            this.#audit.emit({ type: 'revoked', key, userId }, logger);
        }
    }
}
