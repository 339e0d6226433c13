import type { BaseServer, HttpConnection, HttpServer, WsServer } from 'tsrpc';
import { refuseAtConnect, refuseUnparsed } from './httpRefusal';
import { isHttpServer, isStarted, isWsServer } from '../plugin/serverKinds';
import { TsrpcError } from '../plugin/tsrpcError';
import { withDefaults } from '../plugin/withDefaults';
import { countRequestTooLarge } from '../observability/telemetry';

/** The error code of a request refused for its size. */
export const REQUEST_TOO_LARGE = 'REQUEST_TOO_LARGE';

export interface RequestSizeOptions {
    /** Largest request body (HTTP) or message (WebSocket) read. @defaultValue 1 MiB */
    maxBytes: number;
    /** Count refused HTTP requests in `tsrpc_session.requests.too_large` for a registered OpenTelemetry meter provider. @defaultValue true */
    telemetry: boolean;
}

export const defaultRequestSizeOptions: Readonly<RequestSizeOptions> = Object.freeze({ maxBytes: 1024 * 1024, telemetry: true });

/**
 * Refuses requests larger than `maxBytes` before reading them whole. TSRPC has no option for this:
 * HttpServer buffers every body whole before it parses it, and WsServer leaves `ws`'s `maxPayload`
 * at 100 MiB. Over HTTP, a declared `Content-Length` over the limit is answered at once, body
 * unread, and a body that streams past the limit is cut there: both with status 413 and a TSRPC
 * error `REQUEST_TOO_LARGE` (JSON or binary, as the client speaks), and the connection is closed.
 * Over WebSocket, this sets `maxPayload`: a larger message closes that socket with code 1009.
 * Call it before `start()`.
 * @throws TypeError (`tsrpc-session: …`) for a bad limit, a started WsServer, or another kind of server.
 * @example
 * ```ts
 * limitRequestSize([httpServer, wsServer], { maxBytes: 1024 * 1024 });
 * ```
 */
export function limitRequestSize(servers: BaseServer<any> | readonly BaseServer<any>[], options: Partial<RequestSizeOptions> = {}): void {
    const { maxBytes, telemetry } = withDefaults({ ...defaultRequestSizeOptions }, options);
    if (!Number.isInteger(maxBytes) || maxBytes <= 0) throw new TypeError('tsrpc-session: limitRequestSize maxBytes must be a positive integer');
    if (typeof telemetry !== 'boolean') throw new TypeError('tsrpc-session: limitRequestSize telemetry must be true or false');
    for (const server of Array.isArray(servers) ? servers : [servers]) {
        if (isHttpServer(server)) limitHttpBodies(server, maxBytes, telemetry);
        else if (isWsServer(server)) limitWsMessages(server, maxBytes);
        else throw new TypeError('tsrpc-session: limitRequestSize takes HttpServer and WsServer instances');
    }
}

function limitWsMessages(server: WsServer<any>, maxBytes: number): void {
    // TSRPC hands wsOptions to `ws` when it starts: a started server would never see the change.
    if (isStarted(server)) throw new TypeError('tsrpc-session: call limitRequestSize before the WsServer starts');
    server.options.wsOptions = { ...server.options.wsOptions, maxPayload: maxBytes };
}

function limitHttpBodies(server: HttpServer<any>, maxBytes: number, telemetry: boolean): void {
    // First in the flow, so it runs before TSRPC starts collecting the body (the flow's first node runs synchronously).
    server.flows.postConnectFlow.nodes.unshift(conn => {
        const { httpReq } = conn as HttpConnection<any>;
        if (Number(httpReq.headers['content-length']) > maxBytes) {
            if (telemetry) countRequestTooLarge();
            refuseAtConnect(httpReq, () => refuse(server, conn as HttpConnection<any>, maxBytes));
            return conn;
        }
        let received = 0;
        const count = (chunk: Buffer) => {
            received += chunk.length;
            if (received <= maxBytes) return;
            httpReq.off('data', count);
            httpReq.pause();
            if (telemetry) countRequestTooLarge();
            refuse(server, conn as HttpConnection<any>, maxBytes);
        };
        httpReq.on('data', count);
        return conn;
    });
}

function refuse(server: HttpServer<any>, conn: HttpConnection<any>, maxBytes: number): void {
    if (conn.httpRes.headersSent) return;
    conn.logger.warn(`[RequestTooLarge] body over ${maxBytes} bytes refused`, conn.httpReq.method, conn.httpReq.url);
    const err = new TsrpcError(`Request too large: the limit is ${maxBytes} bytes`, { type: TsrpcError.Type.ServerError, code: REQUEST_TOO_LARGE });
    refuseUnparsed(server, conn, 413, err);
}
