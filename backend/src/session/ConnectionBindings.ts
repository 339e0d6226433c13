import type { BaseConnection } from 'tsrpc';

interface Binding {
    key: string;
    id: string;
}

/**
 * Long connections (WebSocket) bound to the session of their last call, so that destroying or
 * revoking a session on this server closes its sockets at once. Sockets bound on other servers
 * learn of it at their next call, when the session is no longer found.
 */
export class ConnectionBindings {
    readonly #byKey = new Map<string, Set<BaseConnection>>();
    readonly #byConn = new Map<BaseConnection, Binding>();

    bind(conn: BaseConnection, key: string, id: string): void {
        if (conn.type !== 'LONG') return;
        const current = this.#byConn.get(conn);
        if (current?.key === key) return;
        this.unbind(conn);
        this.#byConn.set(conn, { key, id });
        let conns = this.#byKey.get(key);
        if (!conns) this.#byKey.set(key, conns = new Set());
        conns.add(conn);
    }

    unbind(conn: BaseConnection): void {
        const binding = this.#byConn.get(conn);
        if (!binding) return;
        this.#byConn.delete(conn);
        const conns = this.#byKey.get(binding.key);
        conns?.delete(conn);
        if (conns?.size === 0) this.#byKey.delete(binding.key);
    }

    /** How many connections are bound, and to how many sessions: both fall back as sockets close. */
    get size(): { connections: number; sessions: number } {
        return { connections: this.#byConn.size, sessions: this.#byKey.size };
    }

    /** The session id a connection is bound to. */
    idOf(conn: BaseConnection): string | undefined {
        return this.#byConn.get(conn)?.id;
    }

    /** The same session under a new id (regenerated or renewed): its connections follow it. */
    rekey(oldKey: string, newKey: string, newId: string): void {
        for (const conn of [...(this.#byKey.get(oldKey) ?? [])]) this.bind(conn, newKey, newId);
    }

    /** Closes every connection bound to the session, with `reason`, except the one that asked. */
    close(key: string, reason: string, except?: BaseConnection): void {
        for (const conn of [...(this.#byKey.get(key) ?? [])]) {
            this.unbind(conn);
            if (conn !== except) conn.close(reason);
        }
    }
}
