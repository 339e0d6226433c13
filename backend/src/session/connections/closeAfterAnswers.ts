import type { ApiCall, BaseConnection, BaseServer } from 'tsrpc';

/** Longest a session-end close waits for the calls the socket's server is still running. */
const MAX_WAIT_MS = 10_000;

interface Socket {
    /** Calls received and not yet answered. */
    calls: number;
    /** Set once the session ended: the close reason still to send. */
    closing?: string;
    timer?: ReturnType<typeof setTimeout>;
}

const sockets = new WeakMap<BaseConnection, Socket>();

/**
 * Whether a call may run, counting it on its WebSocket when it may: a session-end close
 * ({@link closeAfterAnswers}) then goes out after the answers of the calls counted, and a call that
 * arrives once the close is decided never runs, so the client may safely send it again. The call
 * flow asks this first (one flow node for both: every node is a turn of TSRPC's flow on every call).
 */
export function admitCall(call: ApiCall): boolean {
    if (call.conn.type !== 'LONG') return true;
    const socket = socketOf(call.conn);
    if (socket.closing !== undefined) return false;
    socket.calls++;
    return true;
}

/** Counts down the calls each WebSocket of `server` runs as their answers go out (see {@link admitCall}). */
export function trackCallsInFlight(server: BaseServer<any>): void {
    server.flows.postApiReturnFlow.push(v => {
        const socket = sockets.get(v.call.conn);
        if (socket && socket.calls > 0 && --socket.calls === 0 && socket.closing !== undefined) finish(v.call.conn, socket);
        // A settled promise, as every per-call node answers (see the call flow): tslib would wrap a value in a new one.
        return Promise.resolve(v);
    });
}

/**
 * Closes a WebSocket whose session ended with `reason`, once every call it already runs is answered
 * (at most {@link MAX_WAIT_MS} later): a call cut off by the close would fail as a network error
 * though the server ran it. The client plugin resends, without the session, the calls the close cut
 * off, which by then never ran.
 */
export function closeAfterAnswers(conn: BaseConnection, reason: string): void {
    const socket = socketOf(conn);
    if (socket.closing !== undefined) return;
    socket.closing = reason;
    if (socket.calls === 0) {
        void conn.close(reason);
        return;
    }
    socket.timer = setTimeout(() => finish(conn, socket), MAX_WAIT_MS);
    socket.timer.unref?.();
}

function socketOf(conn: BaseConnection): Socket {
    let socket = sockets.get(conn);
    if (!socket) sockets.set(conn, socket = { calls: 0 });
    return socket;
}

function finish(conn: BaseConnection, socket: Socket): void {
    if (socket.timer) clearTimeout(socket.timer);
    socket.timer = undefined;
    void conn.close(socket.closing);
}
