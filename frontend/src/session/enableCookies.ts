import type { BaseClient } from 'tsrpc-base-client';
import type { BaseServiceType } from 'tsrpc-proto';
import type { CookieValues } from '../../../shared/protocols/base';
import { CookieJar } from './CookieJar';
import { browserLocalStorage } from './storages/browserStorage';
import { CookieStorage } from './storages/CookieStorage';
import { serverOrigin } from './serverOrigin';
import { MemoryStorage } from './storages/MemoryStorage';

export interface EnableCookiesOptions {
    /**
     * Where the jar lives.
     * @defaultValue `localStorage` in a browser, else a {@link MemoryStorage}
     */
    storage: CookieStorage;
    /**
     * Scopes the jar, so one server's session never goes to another. Give two clients one
     * namespace only when both server URLs are fixed by your app, never taken from user input.
     * @defaultValue the origin each call goes to (`scheme://host[:port]` of the client's server URL,
     * read per call), so clients of different origins never see each other's cookies
     */
    namespace: string;
}

/**
 * Gives a TSRPC client (tsrpc-browser, tsrpc-miniapp or tsrpc, HTTP or WebSocket) a cookie jar:
 * every call carries the live cookies in `req.__cookie`, and the changes in `res.__cookie` or
 * `err.__cookie` are merged back and persisted. Nothing here can fail or stall a call: a storage
 * error only means the call goes without cookies. Returns the jar of the server the client calls
 * now (by default each call uses the jar of the origin it goes to).
 * @example
 * ```ts
 * const client = new HttpClient(serviceProto, { server: 'https://api.example.com' });
 * const jar = enableCookies(client);
 * ```
 */
// Only what the jar uses: tsrpc-base-client's own HttpClient is not assignable to its BaseClient
// under exactOptionalPropertyTypes, so the whole class would reject clients of strict apps.
export function enableCookies<T extends BaseServiceType>(client: Pick<BaseClient<T>, 'flows' | 'options' | 'logger'>, options: Partial<EnableCookiesOptions> = {}): CookieJar {
    const storage = options.storage ?? browserLocalStorage() ?? new MemoryStorage();
    const fixed = options.namespace === undefined ? undefined : new CookieJar(storage, options.namespace);
    let current: { server: string; jar: CookieJar } | undefined;
    /** The jar of the origin a call is about to go to: the server URL may have changed since the last call. */
    const jarOfNextCall = (): CookieJar => {
        if (fixed) return fixed;
        const server = String((client.options as { server?: unknown }).server ?? 'default');
        if (current?.server !== server) current = { server, jar: new CookieJar(storage, serverOrigin(server)) };
        return current.jar;
    };
    /** Each request's jar, so its answer is merged where its cookies came from. */
    const jarOfRequest = new WeakMap<object, CookieJar>();

    client.flows.preCallApiFlow.push(async v => {
        const jar = jarOfNextCall();
        const { __cookie: _callerCookies, ...req } = (v.req ?? {}) as { __cookie?: unknown };
        let sent: CookieValues = {};
        try {
            sent = await jar.getAll();
        } catch (e) {
            client.logger?.warn('[tsrpc-session] cookie storage unreadable, calling without cookies:', e);
        }
        const withCookies = Object.keys(sent).length > 0 ? { ...req, __cookie: sent } : req;
        jarOfRequest.set(withCookies, jar);
        return { ...v, req: withCookies as typeof v.req };
    });

    client.flows.preApiReturnFlow.push(async v => {
        const carrier = (v.return.isSucc ? v.return.res : v.return.err) as { __cookie?: unknown } | undefined;
        const updates = carrier?.__cookie;
        if (updates === undefined) return v;
        delete carrier!.__cookie;
        // A later flow may have replaced the request object: then the server it went to is the current one.
        const jar = (v.req && jarOfRequest.get(v.req)) ?? jarOfNextCall();
        try {
            // What the request carried as it left, after every flow: the jar's compare-and-set base.
            const sent = (v.req as { __cookie?: CookieValues } | undefined)?.__cookie ?? {};
            await jar.apply(updates, sent);
        } catch (e) {
            client.logger?.warn('[tsrpc-session] cookie storage unwritable, cookie changes lost:', e);
        }
        return v;
    });

    return jarOfNextCall();
}
