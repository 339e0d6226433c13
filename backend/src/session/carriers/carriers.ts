import type { IncomingMessage, ServerResponse } from 'http';
import type { BaseConnection } from 'tsrpc';
import type { CookieUpdate } from '../../../../shared/protocols/base';
import { CookieChanges } from '../core/CookieChanges';
import type { Presented } from '../core/CallSession';
import type { SessionCookieUpdate } from '../core/sessionCookie';
import { carriedInHeaders, serializeSetCookie } from './cookieHeader';
import { isSameOriginBrowser } from './crossSite';
import type { ConnectionMode, ConnectionModes } from './handshake';
import { SessionCarrier } from '../plugin/options';
import { SessionContext } from '../core/SessionContext';
import { ConnectionBindings } from '../connections/ConnectionBindings';

/** How a call's session arrived: a per-call carrier, or the connection bound at its handshake. */
export type Arrival = SessionCarrier | 'connection';

/**
 * The session a call carries: a per-call carrier's value, still to verify; the connection's,
 * verified at its handshake (`invalid` once, on the first call of a socket whose handshake carried
 * a bad value, so that its reply tells the client to drop it); or none.
 */
export type CarriedSession =
    | { readonly via: SessionCarrier; readonly value: unknown }
    | { readonly via: 'connection'; readonly presented: Presented }
    | { readonly via: undefined };

const NOTHING_CARRIED: CarriedSession = Object.freeze({ via: undefined });
const STALE_HANDSHAKE: CarriedSession = Object.freeze({ via: 'connection', presented: 'invalid' });

/** Where the session cookie's change of one call goes out. */
type ReplyCarrier = 'body' | 'setCookie' | 'header' | 'ticket';

/**
 * Carriers other than the body: which one a call's session came by (precedence = the order of
 * `carriers`), and where its session cookie's changes go back. Only built when `carriers` is not
 * just `['body']`, so the default path reads no header.
 */
export class CallCarriers {
    readonly #ctx: SessionContext<ConnectionBindings>;
    readonly #modes: ConnectionModes;
    readonly #body: boolean;
    readonly #httpCookie: boolean;
    readonly #header: boolean;

    constructor(ctx: SessionContext<ConnectionBindings>, modes: ConnectionModes) {
        const { carriers } = ctx.options;
        this.#ctx = ctx;
        this.#modes = modes;
        this.#body = carriers.includes('body');
        this.#httpCookie = carriers.includes('httpCookie');
        this.#header = carriers.includes('header');
    }

    /** The first carrier, in `carriers` order, that brought a value; then the connection's binding. */
    incoming(conn: BaseConnection, bodyValue: unknown): CarriedSession {
        const { options, bindings } = this.#ctx;
        const http = httpOf(conn);
        for (const carrier of options.carriers) {
            if (carrier === 'body') {
                if (bodyValue !== undefined) return { via: 'body', value: bodyValue };
            } else if (http) {
                const value = carriedInHeaders(http.req.headers, carrier, options);
                if (value !== undefined) return { via: carrier, value };
            }
        }
        if (conn.type !== 'LONG' || !this.#modes.of(conn)) return NOTHING_CARRIED;
        if (this.#modes.takeStale(conn)) return STALE_HANDSHAKE;
        const id = bindings.idOf(conn);
        return id === undefined ? NOTHING_CARRIED : { via: 'connection', presented: { id, signedWithCurrentSecret: true } };
    }

    /**
     * Sends the session cookie's change (decided by the core) by its reply carriers: into `changes`
     * for the body, into HTTP headers; returns the change a ticket must carry, if any.
     */
    route(conn: BaseConnection, via: Arrival | undefined, update: SessionCookieUpdate, changes: CookieChanges): CookieUpdate | undefined {
        if (!update) return undefined;
        const { options, bindings } = this.#ctx;
        const mode = conn.type === 'LONG' ? this.#modes.of(conn) : undefined;
        // Logged out, or its session gone: the connection's next call is anonymous.
        if (mode && via !== 'body' && update.value === null) bindings.unbind(conn);
        const http = httpOf(conn);
        let ticket: CookieUpdate | undefined;
        for (const reply of this.#replyCarriers(conn, via, mode)) {
            if (reply === 'body') changes.put(options.cookieName, update);
            else if (reply === 'ticket') ticket = update;
            else if (reply === 'header') http?.res.setHeader(options.sessionHeader, update.value ?? '');
            else if (http) appendSetCookie(http.res, serializeSetCookie(options.cookieName, update, options.httpCookie, options.now()));
        }
        return ticket;
    }

    /** The session goes back the way it came; a new one where a page's scripts cannot read it. */
    #replyCarriers(conn: BaseConnection, via: Arrival | undefined, mode: ConnectionMode | undefined): ReplyCarrier[] {
        if (via === 'body') return ['body'];
        if (via === 'httpCookie') return ['setCookie'];
        if (via === 'header') return ['header'];
        if (mode) return mode.reply === 'none' ? [] : [mode.reply];
        const http = httpOf(conn);
        const cookieReply: ReplyCarrier[] = http ? ['setCookie'] : conn.type === 'LONG' ? ['ticket'] : [];
        if (this.#httpCookie && http && isSameOriginBrowser(http.req.headers)) return cookieReply;
        const replies: ReplyCarrier[] = [];
        if (this.#body) replies.push('body');
        if (this.#header && http) replies.push('header');
        return replies.length === 0 && this.#httpCookie ? cookieReply : replies;
    }
}

/** The request and response of an HTTP call; undefined over WebSocket and for inner calls. */
function httpOf(conn: BaseConnection): { req: IncomingMessage; res: ServerResponse } | undefined {
    const { httpReq, httpRes } = conn as { httpReq?: IncomingMessage; httpRes?: ServerResponse };
    return httpReq && httpRes ? { req: httpReq, res: httpRes } : undefined;
}

function appendSetCookie(res: ServerResponse, cookie: string): void {
    const current = res.getHeader('Set-Cookie');
    res.setHeader('Set-Cookie', current === undefined ? cookie : [...(Array.isArray(current) ? current : [String(current)]), cookie]);
}
