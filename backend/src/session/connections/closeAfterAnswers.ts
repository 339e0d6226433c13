import type { BaseConnection, BaseServer } from 'tsrpc';

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
 * Counts the calls each WebSocket of `server` is running, so that a session-end close
 * ({@link closeAfterAnswers}) goes out after their answers, and drops the frames that arrive once
 * the close is decided: those calls never run, so the client may safely send them again.
 */
export function trackCallsInFlight(server: BaseServer<any>): void {
    server.flows.preRecvDataFlow.push(v => (sockets.get(v.conn)?.closing === undefined ? v : undefined));
    server.flows.preApiCallFlow.push(call => {
        if (call.conn.type !== 'LONG') return call;
        const socket = socketOf(call.conn);
        // Read before the close was decided, parsed after: it must not run either.
        if (socket.closing !== undefined) return undefined;
        socket.calls++;
        return call;
    });
    server.flows.postApiReturnFlow.push(v => {
        const socket = sockets.get(v.call.conn);
        if (socket && socket.calls > 0 && --socket.calls === 0 && socket.closing !== undefined) finish(v.call.conn, socket);
        return v;
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
