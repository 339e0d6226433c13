import type { BaseServer } from 'tsrpc';

/** The WebSocket protocol's limit on a close reason, in UTF-8 bytes. */
const MAX_CLOSE_REASON_BYTES = 123;

/**
 * TSRPC closes a WebSocket whose input fails validation, with the validation message as reason.
 * A hostile `__cookie` name makes that message longer than a close frame allows; `ws` then throws,
 * the socket stays open and the call is never answered. Cutting the reason keeps "bad input gets
 * a clear error, never a hang" true on WebSockets.
 */
export function guardCloseReasons(server: BaseServer<any>): void {
    server.flows.postConnectFlow.push(conn => {
        if (conn.type !== 'LONG') return conn;
        const close = conn.close.bind(conn) as (reason?: string, ...rest: unknown[]) => unknown;
        Object.defineProperty(conn, 'close', {
            value: (reason?: string, ...rest: unknown[]) => close(fitCloseReason(reason), ...rest),
            configurable: true,
            writable: true,
        });
        return conn;
    });
}

export function fitCloseReason(reason: string | undefined): string | undefined {
    if (reason === undefined || Buffer.byteLength(reason, 'utf8') <= MAX_CLOSE_REASON_BYTES) return reason;
    let fitted = reason.slice(0, MAX_CLOSE_REASON_BYTES);
    while (Buffer.byteLength(fitted, 'utf8') > MAX_CLOSE_REASON_BYTES) fitted = fitted.slice(0, -1);
    return fitted;
}
