import type { ApiCall, ApiReturn, BaseConnection, BaseServer } from 'tsrpc';
import { TsrpcError } from './tsrpcError';
import { AuditTrail } from '../observability/audit';
import { storeKindOf } from '../observability/storeKind';
import { SessionTelemetry } from '../observability/telemetry';
import { BroadcastBindings, RevocationChannelState } from '../connections/BroadcastBindings';
import { AppCookies, CookieChanges, readIncomingCookies } from '../handler/CallCookies';
import type { CallCookies, ConnectionSession, Session } from '../handler/handlerApi';
import { guardCloseReasons } from '../connections/closeReasonGuard';
import { ConnectionBindings } from '../connections/ConnectionBindings';
import { DeviceDirectory, DeviceInfo } from '../connections/DeviceDirectory';
import { GuardedStore } from '../guards/GuardedStore';
import { ResolvedSessionOptions, SessionOptions } from './options';
import { CallSession } from '../core/CallSession';
import { ConnectionSessionFacade, SessionFacade } from '../handler/Session';
import { SessionContext } from '../core/SessionContext';
import { sessionMode } from '../sealed/sessionMode';
import type { SealedSessionOptions } from '../sealed/options';
import { revocationChannelOf } from '../stores/RevocationChannel';
import { Arrival, CallCarriers } from '../carriers/carriers';
import { refuseCrossSiteRequests } from '../carriers/crossSite';
import { ConnectionModes } from '../carriers/handshake';
import { isHttpServer, isWsServer } from './serverKinds';
import { SessionTickets } from '../carriers/sessionTickets';
import { serveTicketExchange } from '../carriers/ticketExchange';
import type { CookieUpdate, CookieUpdates } from '../../../../shared/protocols/base';

// Handlers see `call.cookie` and `call.session` typed. Declared here, in the module that installs
// them, so importing the plugin (before autoImplementApi() loads the handlers) brings the types.
declare module 'tsrpc' {
    interface ApiCall {
        /** The app cookies of this call (set by `enableSession`). */
        cookie: CallCookies;
        /** The session of this call, read lazily (set by `enableSession`). */
        session: Session;
    }
}

/** What `enableSession` hands back: the resolved options and server-side session management. */
export interface SessionPlugin {
    readonly options: Readonly<ResolvedSessionOptions>;
    /** A user's live sessions, as a devices page or an admin tool shows them. */
    listSessions(userId: string): Promise<DeviceInfo[]>;
    /** Ends a user's sessions (all, or all but the device handle `except`); returns how many. */
    revokeSessions(userId: string, options?: { except?: string }): Promise<number>;
    /**
     * The session a WebSocket connection is bound to (the one of its last call), for message
     * handlers. Call `save()` after writing: no return flow runs for messages. It offers no
     * `regenerate()` or `destroy()`: their cookie changes would reach no client.
     */
    sessionOf(conn: BaseConnection): ConnectionSession | undefined;
    /**
     * The store's channel to the other servers (see docs/stores.md): 'none' when the store has
     * none, 'down' while it is lost (logged; calls keep working).
     */
    revocationChannelState(): RevocationChannelState;
    /**
     * @internal Sizes of the plugin's in-process tables, each bounded or released as sockets
     * close: what the soak benchmark (`npm run bench:soak`) watches for leaks.
     */
    footprint(): SessionFootprint;
}

/** The plugin in sealed mode: no device list (sessions are not stored anywhere to list). */
export type SealedSessionPlugin = Omit<SessionPlugin, 'listSessions'>;

/** @internal */
export interface SessionFootprint {
    boundConnections: number;
    boundSessions: number;
    verifiedCookies: number;
    storeKeys: number;
}

/**
 * Where a call in flight keeps its session core and how its session arrived, for the return flow:
 * under a symbol, off what handlers see; cheaper than a WeakMap entry per call.
 */
const IN_FLIGHT = Symbol('tsrpc-session: call in flight');
type CallInFlight = ApiCall & { [IN_FLIGHT]?: InFlight };

interface InFlight {
    core: CallSession;
    via: Arrival | undefined;
}

/** What carriers other than the body need; absent with the default `carriers: ['body']`. */
interface CarrierSupport {
    carriers: CallCarriers;
    modes: ConnectionModes;
    tickets: SessionTickets;
    trustedOrigins: ReadonlySet<string>;
}

/**
 * Installs sessions and cookies on TSRPC servers (HttpServer, WsServer, and `server.callApi`):
 * handlers get `call.cookie` and `call.session`; cookie changes travel back in `res.__cookie`,
 * or `err.__cookie` when the call fails. Servers given together share one plugin, so a logout
 * over HTTP closes the WebSockets of that session; servers that share only a store and secrets
 * share sessions.
 * @throws TypeError (`tsrpc-session: …`) at once when an option is unusable.
 * @example
 * ```ts
 * enableSession([httpServer, wsServer], { secrets: process.env.SESSION_SECRETS!.split(','), store: new RedisStore({ url }) });
 * ```
 */
export function enableSession(servers: BaseServer<any> | readonly BaseServer<any>[], options: SealedSessionOptions): SealedSessionPlugin;
export function enableSession(servers: BaseServer<any> | readonly BaseServer<any>[], options: SessionOptions): SessionPlugin;
/** Either mode, chosen at run time (the example's `SESSION_STORE=sealed`). */
export function enableSession(servers: BaseServer<any> | readonly BaseServer<any>[], options: SessionOptions | SealedSessionOptions): SealedSessionPlugin;
export function enableSession(servers: BaseServer<any> | readonly BaseServer<any>[], options: SessionOptions | SealedSessionOptions): SessionPlugin {
    const { resolved, codec } = sessionMode(options);
    const serverList: readonly BaseServer<any>[] = Array.isArray(servers) ? servers : [servers];
    const telemetry = new SessionTelemetry(resolved.telemetry, storeKindOf(resolved.store));
    const store = new GuardedStore(resolved.store, resolved.storeTimeoutMs, serverList[0]?.logger, telemetry);
    const audit = new AuditTrail(resolved.onAudit, resolved.auditSalt, resolved.now, telemetry);
    audit.followEvictions(resolved.store);
    const channel = revocationChannelOf(resolved.store);
    const bindings = channel ? new BroadcastBindings(channel, store, serverList[0]!.logger, resolved.now, telemetry) : new ConnectionBindings(telemetry);
    const devices = new DeviceDirectory(store, codec, bindings, audit, resolved.now);
    const ctx: SessionContext = { options: resolved, codec, store, audit, bindings, devices, telemetry };
    const support = carrierSupport(ctx);

    for (const server of serverList) installFlows(server, ctx, support);

    return {
        options: resolved,
        listSessions: userId => devices.list(userId),
        async revokeSessions(userId, { except } = {}) {
            const exceptStoreKey = except === undefined ? undefined : await devices.storeKeyOf(userId, except);
            return devices.revokeAll(userId, exceptStoreKey);
        },
        footprint() {
            const { connections, sessions } = bindings.size;
            const { verifiedCookies, storeKeys } = codec.cacheSizes;
            return { boundConnections: connections, boundSessions: sessions, verifiedCookies, storeKeys };
        },
        sessionOf(conn) {
            const id = bindings.idOf(conn);
            return id === undefined ? undefined : new ConnectionSessionFacade(new CallSession(ctx, new CookieChanges(), { id, signedWithCurrentSecret: true }, conn));
        },
        revocationChannelState: () => bindings instanceof BroadcastBindings ? bindings.state : 'none',
    };
}

function carrierSupport(ctx: SessionContext): CarrierSupport | undefined {
    const { carriers, httpCookie, secrets, now } = ctx.options;
    if (carriers.length === 1 && carriers[0] === 'body') return undefined;
    const modes = new ConnectionModes();
    const trustedOrigins = new Set(httpCookie.trustedOrigins);
    return { carriers: new CallCarriers(ctx, modes), modes, tickets: new SessionTickets(secrets, ctx.store, ctx.codec, now, ctx.telemetry), trustedOrigins };
}

function installCarriers(server: BaseServer<any>, ctx: SessionContext, support: CarrierSupport): void {
    const cookieEnabled = ctx.options.carriers.includes('httpCookie');
    if (isWsServer(server)) {
        support.modes.install(server, ctx, support.trustedOrigins);
    } else if (isHttpServer(server) && cookieEnabled) {
        refuseCrossSiteRequests(server, support.trustedOrigins, ctx.telemetry);
        serveTicketExchange(server, ctx, support.tickets);
    }
}

function installFlows(server: BaseServer<any>, ctx: SessionContext, support: CarrierSupport | undefined): void {
    const { options: resolved, codec, audit, bindings } = ctx;
    guardCloseReasons(server);
    if (support) installCarriers(server, ctx, support);
    server.flows.preApiCallFlow.push(call => {
        const raw = (call.req as { __cookie?: unknown } | undefined)?.__cookie;
        if (raw !== undefined) {
            // A fresh req without __cookie, so TSRPC never logs it and the caller's object is not mutated.
            const { __cookie, ...req } = call.req as { __cookie?: unknown };
            (call as { req: unknown }).req = req;
        }
        const { appCookies, sessionCookie } = readIncomingCookies(raw, resolved);
        const changes = new CookieChanges();
        let via: Arrival | undefined = sessionCookie === undefined ? undefined : 'body';
        let presented = sessionCookie;
        if (support) ({ via, value: presented } = support.carriers.incoming(call.conn, sessionCookie));
        // The connection's bound id was verified at its handshake.
        const verified = presented === undefined ? undefined : via === 'connection' ? { id: presented as string, signedWithCurrentSecret: true } : codec.verify(presented);
        if (presented !== undefined && !verified) {
            // Tampered, malformed or signed with a retired secret: no session, and the client drops it.
            changes.clear(resolved.cookieName);
            audit.emitTampered(String(presented).slice(0, 200), call.logger);
        }
        const core = new CallSession(ctx, changes, verified, call.conn, call);
        (call as CallInFlight)[IN_FLIGHT] = { core, via };
        call.cookie = new AppCookies(appCookies, changes, resolved);
        call.session = new SessionFacade(core);
        return call;
    });

    server.flows.preApiReturnFlow.push(v => {
        const call = v.call as CallInFlight;
        const inFlight = call[IN_FLIGHT];
        if (!inFlight) return v;
        call[IN_FLIGHT] = undefined;
        // Most calls need no store step (never touched, a rejected sid, a read): answer them, with
        // any cookie changes, without a detour through a promise.
        const saving = inFlight.core.finish();
        return saving ? saveAndAnswer(v, saving, inFlight, support) : answer(v, v.return, inFlight, support);
    });

    server.flows.postDisconnectFlow.push(v => {
        bindings.unbind(v.conn);
        return v;
    });
}

async function saveAndAnswer<T extends { call: ApiCall; return: ApiReturn<any> }>(
    v: T, saving: Promise<void>, inFlight: InFlight, support: CarrierSupport | undefined,
): Promise<T> {
    let ret = v.return;
    try {
        await saving;
    } catch (e) {
        // The handler's answer stands on unsaved state: fail the call rather than pretend.
        ret = { isSucc: false, err: e instanceof TsrpcError ? e : internalError(e, v.call) };
    }
    return answer(v, ret, inFlight, support);
}

/** `ret` with the call's cookie changes, each sent by its reply carrier; a ticket first needs the store. */
function answer<T extends { call: ApiCall; return: ApiReturn<any> }>(
    v: T, ret: ApiReturn<any>, { core, via }: InFlight, support: CarrierSupport | undefined,
): T | Promise<T> {
    const ticketed = support?.carriers.route(v.call.conn, via, core.cookies);
    if (ticketed) return answerWithTicket(v, ret, core.cookies, ticketed, support!.tickets);
    // v is TSRPC's own object for this flow: its return is ours to replace.
    v.return = withCookieUpdates(ret, core.cookies);
    return v;
}

/** The answer with a session ticket in place of the session cookie (a WebSocket in httpCookie mode). */
async function answerWithTicket<T extends { call: ApiCall; return: ApiReturn<any> }>(
    v: T, ret: ApiReturn<any>, changes: CookieChanges, update: CookieUpdate, tickets: SessionTickets,
): Promise<T> {
    try {
        const ticket = await tickets.issue(update);
        return { ...v, return: withCookieUpdates(ret, changes, ticket) };
    } catch (e) {
        // The browser's cookie would not follow the session: fail the call rather than pretend.
        return { ...v, return: withCookieUpdates({ isSucc: false, err: e instanceof TsrpcError ? e : internalError(e, v.call) }, changes) };
    }
}

/** What TSRPC itself answers for a handler's crash; the cause, which may name internals, is only logged. */
function internalError(cause: unknown, call: ApiCall): TsrpcError {
    call.logger.error('[tsrpc-session] saving the session failed:', cause);
    return new TsrpcError('Internal Server Error', { type: TsrpcError.Type.ServerError, code: 'INTERNAL_ERR' });
}

function withCookieUpdates(ret: ApiReturn<any>, changes: CookieChanges, ticket?: string): ApiReturn<any> {
    const updates = changes.toWire();
    if (!updates && ticket === undefined) return ret;
    if (ret.isSucc && ticket === undefined) return { isSucc: true, res: withCookieField(ret.res, updates) };
    const added = { ...(updates && { __cookie: updates }), ...(ticket !== undefined && { __sessionTicket: ticket }) };
    if (ret.isSucc) return { isSucc: true, res: { ...ret.res, ...added } };
    return { isSucc: false, err: new TsrpcError({ ...ret.err, message: ret.err.message, type: ret.err.type, ...added }) };
}

/**
 * The handler's answer with `__cookie` added, built from a literal that holds it: V8 adds a new
 * field to a spread copy on a slow path (0.4 µs here), and every call that changes a cookie (a
 * rejected sid's) comes here.
 */
function withCookieField(res: object, updates: CookieUpdates | undefined): object {
    const answer = { __cookie: updates, ...res };
    answer.__cookie = updates;
    return answer;
}
