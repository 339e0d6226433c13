import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'http';
import type { BaseConnection } from 'tsrpc';
import type { CookieUpdate } from '../../../../shared/protocols/base';
import type { ChangingCookies } from '../core/CookieChanges';
import type { Presented } from '../core/CallSession';
import type { SessionCookieUpdate } from '../core/sessionCookie';
import { carriedInHeaders, readCookieValues } from './cookieHeader';
import { sessionSetCookies } from './cookieSweep';
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
    #warnedCookieOnlyClient = false;

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
     * Sends the session cookie's change (decided by the core) by its reply carriers: into the call's
     * cookie changes for the body, into HTTP headers; returns the change a ticket must carry, if any.
     */
    route(conn: BaseConnection, via: Arrival | undefined, update: SessionCookieUpdate, cookies: ChangingCookies): CookieUpdate | undefined {
        if (!update) return undefined;
        const { options, bindings } = this.#ctx;
        const mode = conn.type === 'LONG' ? this.#modes.of(conn) : undefined;
        // Logged out, or its session gone: the connection's next call is anonymous.
        if (mode && via !== 'body' && update.value === null) bindings.unbind(conn);
        const replies = this.#replyCarriers(conn, via, mode);
        this.#warnIfUnkeepable(conn, via, update, replies);
        const http = httpOf(conn);
        let ticket: CookieUpdate | undefined;
        for (const reply of replies) {
            if (reply === 'body') cookies.changing().put(options.cookieName, update);
            else if (reply === 'ticket') ticket = update;
            else if (reply === 'header') http?.res.setHeader(options.sessionHeader, update.value ?? '');
            else if (reply === 'setCookie' && http) {
                const presented = readCookieValues(http.req.headers.cookie, options.httpCookie.name);
                for (const line of sessionSetCookies(http.req, update, options, presented)) appendSetCookie(http.res, line);
            }
        }
        return ticket;
    }

    /**
     * A client that sends no Origin or Sec-Fetch header is not a browser (a Node or mini-program
     * client): it ignores Set-Cookie, so a session it gets only that way is lost and every later
     * call is anonymous. Said once, since the server cannot refuse what the options allow.
     */
    #warnIfUnkeepable(conn: BaseConnection, via: Arrival | undefined, update: CookieUpdate, replies: readonly ReplyCarrier[]): void {
        const http = httpOf(conn);
        if (this.#warnedCookieOnlyClient || via !== undefined || update.value === null || !http) return;
        if (replies.length !== 1 || replies[0] !== 'setCookie' || sentByBrowser(http.req.headers)) return;
        this.#warnedCookieOnlyClient = true;
        conn.logger.warn(`[tsrpc-session] options.carriers ${JSON.stringify(this.#ctx.options.carriers)} sent a new session only as an HttpOnly cookie to a client without Origin or Sec-Fetch headers (a Node or mini-program client, not a browser). TSRPC clients do not keep Set-Cookie, so its next calls are anonymous. Fix: add 'body' to options.carriers (e.g. carriers: ['httpCookie', 'body']) so such clients keep the session in their jar. (Logged once.)`);
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

/** Browsers send Origin on cross-origin and POST requests, and Sec-Fetch-* on every fetch. */
function sentByBrowser(headers: IncomingHttpHeaders): boolean {
    return headers.origin !== undefined || headers['sec-fetch-site'] !== undefined || headers['sec-fetch-mode'] !== undefined;
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
