import type { BaseConnection, WsConnection, WsServer } from 'tsrpc';
import { carriedInHeaders } from './carriers';
import { CROSS_SITE_WEBSOCKET_REASON, isAllowedRequest, isSameOriginBrowser } from './crossSite';
import { SessionContext } from '../core/SessionContext';

/**
 * A WebSocket in connection mode: authenticated at its handshake, or a same-origin browser's on a
 * server with carrier `httpCookie`. Its calls without a per-call session use the session it is
 * bound to; the session cookie's changes go back as `reply` says.
 */
export interface ConnectionMode {
    /** `ticket`: the id rides in an HttpOnly cookie (never sent over the socket); `body`: in `__cookie`. */
    readonly reply: 'ticket' | 'body' | 'none';
    /** The handshake carried an invalid session value: the first reply tells the client to drop it. */
    dropStale: boolean;
}

/** The close code of a refused cross-site WebSocket (policy violation). */
const POLICY_VIOLATION = 1008;

/** Which connections are in connection mode, and which were refused at the handshake. */
export class ConnectionModes {
    readonly #modes = new WeakMap<BaseConnection, ConnectionMode>();
    readonly #refused = new WeakSet<BaseConnection>();

    of(conn: BaseConnection): ConnectionMode | undefined {
        return this.#modes.get(conn);
    }

    /**
     * Reads the session from the upgrade request (`Cookie`, then the session header, in the order of
     * `carriers`), verifies it and binds the connection before any message is read; closes a
     * cross-site upgrade that carries the session cookie.
     */
    install(server: WsServer<any>, ctx: SessionContext, trustedOrigins: ReadonlySet<string>): void {
        const { options, codec, bindings, audit, telemetry } = ctx;
        const cookieEnabled = options.carriers.includes('httpCookie');
        server.flows.postConnectFlow.push(conn => {
            const { headers } = (conn as WsConnection<any>).httpReq;
            const cookie = cookieEnabled ? carriedInHeaders(headers, 'httpCookie', options) : undefined;
            if (cookie !== undefined && !isAllowedRequest(headers, trustedOrigins)) {
                this.#refused.add(conn);
                telemetry.csrfRefused('websocket');
                conn.logger.warn('[CrossSiteRefused] WebSocket upgrade with the session cookie, origin:', headers.origin);
                void (conn as WsConnection<any>).close(CROSS_SITE_WEBSOCKET_REASON, POLICY_VIOLATION);
                return conn;
            }
            let via: 'httpCookie' | 'header' | undefined;
            let value: string | undefined;
            for (const carrier of options.carriers) {
                const carried = carrier === 'httpCookie' ? cookie : carrier === 'header' ? carriedInHeaders(headers, carrier, options) : undefined;
                if (carried !== undefined) {
                    via = carrier as 'httpCookie' | 'header';
                    value = carried;
                    break;
                }
            }
            if (via === undefined && !(cookieEnabled && isSameOriginBrowser(headers))) return conn;
            const verified = value === undefined ? undefined : codec.verify(value);
            if (verified) bindings.bind(conn, codec.storeKey(verified.id), verified.id);
            else if (value !== undefined) audit.emitTampered(value.slice(0, 200), conn.logger);
            const reply = via === 'header' ? (options.carriers.includes('body') ? 'body' : 'none') : 'ticket';
            this.#modes.set(conn, { reply, dropStale: value !== undefined && !verified });
            return conn;
        });
        // `ws` still delivers frames that arrive while a refused socket closes: none reaches an API.
        server.flows.preRecvDataFlow.push(v => (this.#refused.has(v.conn) ? undefined : v));
    }
}
