import type { BaseConnection, WsConnection, WsServer } from 'tsrpc';
import { carriedInHeaders, DuplicateSessionCookies } from './cookieHeader';
import { CROSS_SITE_WEBSOCKET_REASON, isAllowedRequest, isSameOriginBrowser } from './crossSite';
import { SessionContext } from '../core/SessionContext';
import { ConnectionBindings } from '../connections/ConnectionBindings';

/**
 * A WebSocket in connection mode: authenticated at its handshake, or a same-origin browser's on a
 * server with carrier `httpCookie`. Its calls without a per-call session use the session it is
 * bound to; the session cookie's changes go back as `reply` says.
 */
export interface ConnectionMode {
    /** `ticket`: the id rides in an HttpOnly cookie (never sent over the socket); `body`: in `__cookie`. */
    readonly reply: 'ticket' | 'body' | 'none';
}

const TICKET_REPLY: ConnectionMode = Object.freeze({ reply: 'ticket' });
const BODY_REPLY: ConnectionMode = Object.freeze({ reply: 'body' });
const NO_REPLY: ConnectionMode = Object.freeze({ reply: 'none' });

/** The close code of a refused cross-site WebSocket (policy violation). */
const POLICY_VIOLATION = 1008;

/** Which connections are in connection mode, and which were refused at the handshake. */
export class ConnectionModes {
    readonly #modes = new WeakMap<BaseConnection, ConnectionMode>();
    readonly #refused = new WeakSet<BaseConnection>();
    /** Connections whose handshake carried an invalid session value, until a call tells the client to drop it. */
    readonly #stale = new WeakSet<BaseConnection>();

    of(conn: BaseConnection): ConnectionMode | undefined {
        return this.#modes.get(conn);
    }

    /** True once for a connection whose handshake carried an invalid session value. */
    takeStale(conn: BaseConnection): boolean {
        return this.#stale.delete(conn);
    }

    /**
     * Reads the session from the upgrade request (`Cookie`, then the session header, in the order of
     * `carriers`), verifies it and binds the connection before any message is read; closes a
     * cross-site upgrade that carries the session cookie.
     */
    install(server: WsServer<any>, ctx: SessionContext<ConnectionBindings>, trustedOrigins: ReadonlySet<string>): void {
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
            let value: string | DuplicateSessionCookies | undefined;
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
            else if (value instanceof DuplicateSessionCookies) audit.emitDuplicate(value.values, conn.logger);
            else if (value !== undefined) audit.emitTampered(value.slice(0, 200), conn.logger);
            const reply = via === 'header' ? (options.carriers.includes('body') ? 'body' : 'none') : 'ticket';
            this.#modes.set(conn, reply === 'ticket' ? TICKET_REPLY : reply === 'body' ? BODY_REPLY : NO_REPLY);
            if (value !== undefined && !verified) this.#stale.add(conn);
            return conn;
        });
        // `ws` still delivers frames that arrive while a refused socket closes: none reaches an API.
        server.flows.preRecvDataFlow.push(v => Promise.resolve(this.#refused.has(v.conn) ? undefined : v));
    }
}
