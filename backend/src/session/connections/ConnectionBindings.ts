import type { BaseConnection } from 'tsrpc';
import type { SessionTelemetry } from '../observability/telemetry';

interface Binding {
    storeKey: string;
    /** Unknown after another server renewed the session: only store keys travel between servers. */
    id?: string;
}

/**
 * Long connections (WebSocket) bound to the session of their last call, so that destroying or
 * revoking a session on this server closes its sockets at once. Sockets bound on other servers
 * hear of it through the store's revocation channel when it has one (BroadcastBindings), else at
 * their next call, when the session is no longer found.
 */
export class ConnectionBindings {
    readonly #byStoreKey = new Map<string, Set<BaseConnection>>();
    readonly #byConn = new Map<BaseConnection, Binding>();
    readonly #telemetry: SessionTelemetry | undefined;

    constructor(telemetry?: SessionTelemetry) {
        this.#telemetry = telemetry;
    }

    /** Binds the connection to the session stored under `storeKey`, reached with `id`. */
    bind(conn: BaseConnection, storeKey: string, id: string | undefined): void {
        if (conn.type !== 'LONG') return;
        const current = this.#byConn.get(conn);
        if (current?.storeKey === storeKey && current.id === id) return;
        this.unbind(conn);
        this.#byConn.set(conn, { storeKey, id });
        this.#telemetry?.socketsBound(1);
        let conns = this.#byStoreKey.get(storeKey);
        if (!conns) this.#byStoreKey.set(storeKey, conns = new Set());
        conns.add(conn);
    }

    unbind(conn: BaseConnection): void {
        const binding = this.#byConn.get(conn);
        if (!binding) return;
        this.#byConn.delete(conn);
        this.#telemetry?.socketsBound(-1);
        const conns = this.#byStoreKey.get(binding.storeKey);
        conns?.delete(conn);
        if (conns?.size === 0) this.#byStoreKey.delete(binding.storeKey);
    }

    /** How many connections are bound, and to how many sessions: both fall back as sockets close. */
    get size(): { connections: number; sessions: number } {
        return { connections: this.#byConn.size, sessions: this.#byStoreKey.size };
    }

    /** The session id a connection is bound to. */
    idOf(conn: BaseConnection): string | undefined {
        return this.#byConn.get(conn)?.id;
    }

    /** The same session under a new id (renewed): every connection that held the old id follows it. */
    rekey(oldStoreKey: string, newStoreKey: string, newId: string | undefined): void {
        for (const conn of [...(this.#byStoreKey.get(oldStoreKey) ?? [])]) this.bind(conn, newStoreKey, newId);
    }

    /**
     * Unbinds every connection of a regenerated session. They stay open: their own next call binds
     * them to whatever session its cookie names (a tab of the same user then finds the new id in
     * the shared jar), while a socket of someone who planted the old id finds no session at all.
     */
    release(storeKey: string): void {
        for (const conn of [...(this.#byStoreKey.get(storeKey) ?? [])]) this.unbind(conn);
    }

    /** The store keys of the sessions that have connections bound here. */
    boundKeys(): string[] {
        return [...this.#byStoreKey.keys()];
    }

    /** Closes every connection bound to the session, with `reason`, except the one that asked. */
    close(storeKey: string, reason: string, except?: BaseConnection): void {
        for (const conn of [...(this.#byStoreKey.get(storeKey) ?? [])]) {
            this.unbind(conn);
            if (conn !== except) conn.close(reason);
        }
    }
}
