import type { HttpConnection, HttpServer } from 'tsrpc';
import { readCookieValues } from './cookieHeader';
import { sessionSetCookies } from './cookieSweep';
import { SessionErrorCode } from '../plugin/errors';
import { SessionContext } from '../core/SessionContext';
import { SessionTickets } from './sessionTickets';
import { TsrpcError } from '../plugin/tsrpcError';

/** Larger bodies are not tickets: refused unread past this. */
const MAX_BODY_CHARS = 1024;

/**
 * Serves `POST <jsonHostPath><exchangePath>` with `{"ticket": "…"}`: answers `{"isSucc":true}`
 * with the ticket's `Set-Cookie`, or a 4xx `{"isSucc":false,"err":{message,code}}`. TSRPC's own
 * handling of the request is cancelled (the path is no API). The CSRF check ran before, at connect.
 */
export function serveTicketExchange(server: HttpServer<any>, ctx: SessionContext, tickets: SessionTickets): void {
    const { options } = ctx;
    const path = server.options.jsonHostPath + options.httpCookie.exchangePath;
    server.flows.preRecvDataFlow.push(v => {
        const conn = v.conn as HttpConnection<any>;
        const url = conn.httpReq?.url;
        // Settled promises, as every per-call node answers (see the call flow).
        if (url === undefined || (url !== path && !url.startsWith(`${path}?`))) return Promise.resolve(v);
        void exchange(conn, v.data, ctx, tickets);
        return Promise.resolve(undefined);
    });
}

async function exchange(conn: HttpConnection<any>, data: unknown, ctx: SessionContext, tickets: SessionTickets): Promise<void> {
    const { options } = ctx;
    const { httpReq, httpRes } = conn;
    if (httpReq.method !== 'POST') return answer(conn, 405, { message: 'Redeem a session ticket with POST', code: SessionErrorCode.TicketInvalid });
    let update;
    try {
        update = await tickets.redeem(ticketIn(data));
    } catch (e) {
        const code = e instanceof TsrpcError && e.code === SessionErrorCode.StoreUnavailable ? SessionErrorCode.StoreUnavailable : 'INTERNAL_ERR';
        if (code === 'INTERNAL_ERR') conn.logger.error('[tsrpc-session] redeeming a session ticket failed:', e);
        return answer(conn, 503, { message: 'Session store unavailable, please retry', code });
    }
    if (!update) {
        conn.logger.warn('[SessionTicketRefused] invalid, expired or already redeemed');
        return answer(conn, 400, { message: 'Invalid, expired or already redeemed session ticket', code: SessionErrorCode.TicketInvalid });
    }
    httpRes.setHeader('Set-Cookie', sessionSetCookies(httpReq, update, options, readCookieValues(httpReq.headers.cookie, options.httpCookie.name)));
    answer(conn, 200);
}

function ticketIn(data: unknown): unknown {
    const text = typeof data === 'string' ? data : data instanceof Uint8Array ? Buffer.from(data).toString('utf8') : undefined;
    if (text === undefined || text.length > MAX_BODY_CHARS) return undefined;
    try {
        return (JSON.parse(text) as { ticket?: unknown } | null)?.ticket;
    } catch {
        return undefined;
    }
}

function answer(conn: HttpConnection<any>, status: number, err?: { message: string; code: string }): void {
    const { httpRes } = conn;
    if (httpRes.headersSent) return;
    httpRes.statusCode = status;
    httpRes.setHeader('Content-Type', 'application/json; charset=utf-8');
    httpRes.setHeader('Cache-Control', 'no-store');
    httpRes.end(JSON.stringify(err ? { isSucc: false, err } : { isSucc: true }));
}
