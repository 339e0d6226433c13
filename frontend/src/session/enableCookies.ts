import type { BaseClient } from 'tsrpc-base-client';
import type { BaseServiceType } from 'tsrpc-proto';
import type { CookieValues } from '../../../shared/protocols/base';
import { CookieJar } from './jar/CookieJar';
import { EnableCookiesOptions, resolveCookieOptions } from './cookieOptions';
import { serverOrigin } from './jar/serverOrigin';
import { ReconnectableClient, SessionEndWatch } from './carriers/SessionEndWatch';
import { TicketExchange } from './carriers/TicketExchange';

/** What a response carries for the jar: removed before the app sees the response. */
interface CookieCarrier {
    __cookie?: unknown;
    __sessionTicket?: unknown;
}

/**
 * Gives a TSRPC client (tsrpc-browser, tsrpc-miniapp or tsrpc, HTTP or WebSocket) a cookie jar:
 * every call carries the live cookies in `req.__cookie`, and the changes in `res.__cookie` or
 * `err.__cookie` are merged back and persisted. Nothing here can fail or stall a call: a storage
 * error only means the call goes without cookies. Returns the jar of the server the client calls
 * now (by default each call uses the jar of the origin it goes to).
 *
 * With `carrier: 'httpCookie'` the session stays in the browser's HttpOnly cookie and the jar
 * keeps app cookies only. A WebSocket client learns when the server ends its session (see
 * {@link EnableCookiesOptions.onSessionEnded}).
 * @throws TypeError for invalid options, e.g. a WebSocket client with carrier 'httpCookie' and no
 * `exchangeUrl`, or a server URL with credentials or a backslash (`http://a\\@b/` goes to `a`,
 * though a naive parser reads `b`)
 * @example
 * ```ts
 * const client = new HttpClient(serviceProto, { server: 'https://api.example.com' });
 * const jar = enableCookies(client);
 * ```
 * @example
 * ```ts
 * // A page served by the API's origin: the session in an HttpOnly cookie, also over WebSocket.
 * const ws = new WsClient(serviceProto, { server: `wss://${location.host}/api` });
 * enableCookies(ws, { carrier: 'httpCookie', exchangeUrl: '/api/__session', onSessionEnded: () => showLogin() });
 * ```
 */
// The whole client first: from it TypeScript infers the service type of an app whose protocols
// have no messages, where inference through `flows` alone fails (`FlowNode<never>`).
export function enableCookies<T extends BaseServiceType>(client: BaseClient<T>, options?: Partial<EnableCookiesOptions>): CookieJar;
// Only what the jar uses: tsrpc-base-client's own HttpClient is not assignable to its BaseClient
// under exactOptionalPropertyTypes, so the whole class would reject clients of strict apps.
export function enableCookies<T extends BaseServiceType>(client: Pick<BaseClient<T>, 'flows' | 'options' | 'logger' | 'type'>, options?: Partial<EnableCookiesOptions>): CookieJar;
export function enableCookies(
    client: Pick<BaseClient<BaseServiceType>, 'flows' | 'options' | 'logger' | 'type'>, options: Partial<EnableCookiesOptions> = {},
): CookieJar {
    const socket = client.type === 'LONG' ? client as unknown as ReconnectableClient : undefined;
    const { storage, namespace, carrier, sessionCookieName, onSessionEnded, now } = resolveCookieOptions(options, socket !== undefined);
    const keepsSession = carrier.kind === 'body';
    const exchange = carrier.kind === 'httpCookie' && carrier.exchange ? new TicketExchange(carrier.exchange, client.logger) : undefined;

    const fixed = namespace === undefined ? undefined : new CookieJar(storage, namespace, now);
    const serverNow = () => String((client.options as { server?: unknown }).server ?? 'default');
    // A hostile server URL fails here, at start, never inside a call.
    if (!fixed) serverOrigin(serverNow());
    let current: { server: string; jar: CookieJar } | undefined;
    /** The jar of the origin a call is about to go to: the server URL may have changed since the last call. */
    const jarOfNextCall = (): CookieJar => {
        if (fixed) return fixed;
        const server = serverNow();
        if (current?.server !== server) current = { server, jar: new CookieJar(storage, scopeOf(server, client.logger), now) };
        return current.jar;
    };
    /** Each request's jar, so its answer is merged where its cookies came from. */
    const jarOfRequest = new WeakMap<object, CookieJar>();
    /** The session cookie the socket's last answered call left it with: what a session end drops. */
    let socketSession: { jar: CookieJar; value: string } | undefined;

    const sessionEnd = socket && new SessionEndWatch(socket, {
        onSessionEnded,
        async forgetSession() {
            const ended = socketSession;
            socketSession = undefined;
            if (!ended) return;
            try {
                // Only if the jar still holds it: another tab may have logged in again meanwhile.
                await ended.jar.apply({ [sessionCookieName]: { value: null } }, { [sessionCookieName]: ended.value });
            } catch (e) {
                client.logger?.warn('[tsrpc-session] cookie storage unwritable, the ended session cookie stays:', e);
            }
        },
    });

    client.flows.preCallApiFlow.push(async v => {
        await sessionEnd?.beforeCall();
        const jar = jarOfNextCall();
        const { __cookie: _callerCookies, ...req } = (v.req ?? {}) as { __cookie?: unknown };
        let sent: CookieValues = {};
        try {
            sent = await jar.getAll();
        } catch (e) {
            client.logger?.warn('[tsrpc-session] cookie storage unreadable, calling without cookies:', e);
        }
        if (!keepsSession) delete sent[sessionCookieName];
        const withCookies = Object.keys(sent).length > 0 ? { ...req, __cookie: sent } : req;
        jarOfRequest.set(withCookies, jar);
        if (sessionEnd?.wasResent(v.req)) sessionEnd.markResent(withCookies);
        return { ...v, req: withCookies as typeof v.req };
    });

    client.flows.preApiReturnFlow.push(async v => {
        // Cut off by a session-end close, so never run by the server: sent again without the session.
        if (sessionEnd && !sessionEnd.wasResent(v.req) && await sessionEnd.cutBySessionEnd(v.return)) {
            return { ...v, return: await sessionEnd.resend(String(v.apiName), (v.req ?? {}) as object, v.options) as typeof v.return };
        }
        const carried = (v.return.isSucc ? v.return.res : v.return.err) as CookieCarrier | undefined;
        if (!carried) return v;
        const { __cookie: updates, __sessionTicket: ticket } = carried;
        delete carried.__cookie;
        delete carried.__sessionTicket;
        // A later flow may have replaced the request object: then the server it went to is the current one.
        const jar = (v.req && jarOfRequest.get(v.req)) ?? jarOfNextCall();
        // What the request carried as it left, after every flow: the jar's compare-and-set base.
        const sent = (v.req as { __cookie?: CookieValues } | undefined)?.__cookie ?? {};
        if (updates !== undefined) {
            try {
                await jar.apply(keepsSession ? updates : withoutCookie(updates, sessionCookieName), sent);
            } catch (e) {
                client.logger?.warn('[tsrpc-session] cookie storage unwritable, cookie changes lost:', e);
            }
        }
        if (socket && keepsSession && answeredByServer(v.return)) {
            const value = sessionCookieAfter(updates, sent, sessionCookieName);
            socketSession = value === undefined ? undefined : { jar, value };
        }
        if (typeof ticket === 'string') {
            if (exchange) await exchange.redeem(ticket);
            else client.logger?.warn('[tsrpc-session] a session ticket arrived but no exchangeUrl redeems it (carrier \'httpCookie\')');
        }
        return v;
    });

    return jarOfNextCall();
}

/**
 * The jar scope of a server URL the app switched to after `enableCookies`: its origin, or for a URL
 * refused there (credentials, backslash) a scope of its own, which no other URL's cookies reach.
 */
function scopeOf(server: string, logger: { warn(...args: unknown[]): void } | undefined): string {
    try {
        return serverOrigin(server);
    } catch (e) {
        logger?.warn('[tsrpc-session] calling with a jar of its own:', e instanceof Error ? e.message : e);
        return `refused:${server}`;
    }
}

/** Whether the server saw the call: a lost connection or a client-side failure tells nothing of its session. */
function answeredByServer(ret: { isSucc: boolean; err?: { type?: unknown } }): boolean {
    return ret.isSucc || (ret.err?.type !== 'NetworkError' && ret.err?.type !== 'ClientError');
}

/** The updates without one cookie's: in 'httpCookie' mode the session cookie is the browser's alone. */
function withoutCookie(updates: unknown, name: string): unknown {
    if (typeof updates !== 'object' || updates === null) return updates;
    const { [name]: _dropped, ...rest } = updates as Record<string, unknown>;
    return rest;
}

/** The session cookie a call leaves its connection with: set or cleared by the answer, else the one it sent. */
function sessionCookieAfter(updates: unknown, sent: CookieValues, name: string): string | undefined {
    const update = typeof updates === 'object' && updates !== null ? (updates as Record<string, unknown>)[name] : undefined;
    if (typeof update !== 'object' || update === null) return sent[name];
    const { value, maxAgeMs } = update as { value?: unknown; maxAgeMs?: unknown };
    if (value === null || maxAgeMs === 0) return undefined;
    return typeof value === 'string' ? value : sent[name];
}
