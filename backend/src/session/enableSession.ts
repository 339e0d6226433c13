import { ApiCall, ApiReturn, BaseServer, TsrpcError } from 'tsrpc';
import './augment';
import { CallCookies, CookieChanges, readIncomingCookies } from './CallCookies';
import { resolveSessionOptions, ResolvedSessionOptions, SessionOptions } from './options';
import { Session, SessionContext } from './Session';
import { SessionIdCodec } from './SessionIdCodec';
import { GuardedStore } from './GuardedStore';

/** What `enableSession` hands back: the resolved options, for the app's own use. */
export interface SessionPlugin {
    readonly options: ResolvedSessionOptions;
}

/** The cookie changes of each call in flight, kept off the call object the handler sees. */
const callCookieChanges = new WeakMap<ApiCall, CookieChanges>();

/**
 * Installs sessions and cookies on a TSRPC server (HttpServer, WsServer, and `server.callApi`):
 * handlers get `call.cookie` and `call.session`; cookie changes travel back in `res.__cookie`,
 * or `err.__cookie` when the call fails.
 * @throws TypeError (`tsrpc-session: …`) at once when an option is unusable.
 * @example
 * ```ts
 * enableSession(server, { secrets: process.env.SESSION_SECRETS!.split(','), store: new RedisStore({ url }) });
 * ```
 */
export function enableSession(server: BaseServer<any>, options: Partial<SessionOptions>): SessionPlugin {
    const resolved = resolveSessionOptions(options);
    const ctx: SessionContext = {
        options: resolved,
        codec: new SessionIdCodec(resolved.secrets),
        store: new GuardedStore(resolved.store, resolved.storeTimeoutMs),
    };

    server.flows.preApiCallFlow.push(call => {
        // A fresh req without __cookie, so TSRPC never logs it and the caller's object is not mutated.
        const { __cookie: raw, ...req } = (call.req ?? {}) as { __cookie?: unknown };
        (call as { req: unknown }).req = req;
        const { appCookies, sessionCookie } = readIncomingCookies(raw, resolved);
        const changes = new CookieChanges();
        const verified = sessionCookie === undefined ? undefined : ctx.codec.verify(sessionCookie);
        if (sessionCookie !== undefined && !verified) {
            // Tampered, malformed or signed with a retired secret: no session, and the client drops it.
            changes.clear(resolved.cookieName);
        }
        callCookieChanges.set(call, changes);
        call.cookie = new CallCookies(appCookies, changes, resolved);
        call.session = new Session(ctx, changes, verified, call.logger);
        return call;
    });

    server.flows.preApiReturnFlow.push(async v => {
        const changes = callCookieChanges.get(v.call);
        if (!changes) return v;
        callCookieChanges.delete(v.call);
        let ret = v.return;
        try {
            await v.call.session.save();
        } catch (e) {
            // The handler's answer stands on unsaved state: fail the call rather than pretend.
            ret = { isSucc: false, err: e instanceof TsrpcError ? e : new TsrpcError(String(e)) };
        }
        return { ...v, return: withCookieUpdates(ret, changes) };
    });

    return { options: resolved };
}

function withCookieUpdates(ret: ApiReturn<any>, changes: CookieChanges): ApiReturn<any> {
    const updates = changes.toWire();
    if (!updates) return ret;
    if (ret.isSucc) return { isSucc: true, res: { ...ret.res, __cookie: updates } };
    return { isSucc: false, err: new TsrpcError({ ...ret.err, message: ret.err.message, type: ret.err.type, __cookie: updates }) };
}
