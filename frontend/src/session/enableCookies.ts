import type { BaseClient } from 'tsrpc-base-client';
import type { BaseServiceType } from 'tsrpc-proto';
import type { CookieValues } from '../../../shared/protocols/base';
import { CookieJar } from './CookieJar';
import { browserLocalStorage } from './storages/browserStorage';
import { CookieStorage } from './storages/CookieStorage';
import { MemoryStorage } from './storages/MemoryStorage';

export interface EnableCookiesOptions {
    /**
     * Where the jar lives.
     * @defaultValue `localStorage` in a browser, else a {@link MemoryStorage}
     */
    storage: CookieStorage;
    /**
     * Scopes the jar, so one server's session never goes to another.
     * @defaultValue the client's server URL
     */
    namespace: string;
}

/**
 * Gives a TSRPC client (tsrpc-browser, tsrpc-miniapp or tsrpc, HTTP or WebSocket) a cookie jar:
 * every call carries the live cookies in `req.__cookie`, and the changes in `res.__cookie` or
 * `err.__cookie` are merged back and persisted. Nothing here can fail or stall a call: a storage
 * error only means the call goes without cookies.
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
    const namespace = options.namespace ?? String((client.options as { server?: unknown }).server ?? 'default');
    const jar = new CookieJar(storage, namespace);

    client.flows.preCallApiFlow.push(async v => {
        const { __cookie: _callerCookies, ...req } = (v.req ?? {}) as { __cookie?: unknown };
        let sent: CookieValues = {};
        try {
            sent = await jar.getAll();
        } catch (e) {
            client.logger?.warn('[tsrpc-session] cookie storage unreadable, calling without cookies:', e);
        }
        const withCookies = Object.keys(sent).length > 0 ? { ...req, __cookie: sent } : req;
        return { ...v, req: withCookies as typeof v.req };
    });

    client.flows.preApiReturnFlow.push(async v => {
        const carrier = (v.return.isSucc ? v.return.res : v.return.err) as { __cookie?: unknown } | undefined;
        const updates = carrier?.__cookie;
        if (updates === undefined) return v;
        delete carrier!.__cookie;
        try {
            // What the request carried as it left, after every flow: the jar's compare-and-set base.
            const sent = (v.req as { __cookie?: CookieValues } | undefined)?.__cookie ?? {};
            await jar.apply(updates, sent);
        } catch (e) {
            client.logger?.warn('[tsrpc-session] cookie storage unwritable, cookie changes lost:', e);
        }
        return v;
    });

    return jar;
}
