import type { BaseConnection, BaseServer } from 'tsrpc';
import { AuditTrail } from '../observability/audit';
import { storeKindOf } from '../observability/storeKind';
import { SessionTelemetry } from '../observability/telemetry';
import { BroadcastBindings, RevocationChannelState } from '../connections/BroadcastBindings';
import type { CallCookies, ConnectionSession, Session } from '../handler/handlerApi';
import { guardCloseReasons } from '../connections/closeReasonGuard';
import { trackCallsInFlight } from '../connections/closeAfterAnswers';
import { ConnectionBindings } from '../connections/ConnectionBindings';
import { DeviceDirectory, DeviceInfo } from '../connections/DeviceDirectory';
import { GuardedStore } from '../guards/GuardedStore';
import { ResolvedSessionOptions, SessionOptions } from './options';
import { CallSession } from '../core/CallSession';
import { ConnectionSessionFacade } from '../handler/Session';
import { sessionMode } from '../sealed/sessionMode';
import type { SealedSessionOptions } from '../sealed/options';
import { revocationChannelOf } from '../stores/RevocationChannel';
import { isEvictionSource } from '../stores/evictions';
import { SESSION_REVOKED_REASON } from '../../../../shared/sessionEnd';
import { CarrierSupport, carrierSupport, installCarriers, PluginContext } from './flows/carrierSupport';
import { installCallFlow } from './flows/callFlow';
import { installReturnFlow } from './flows/returnFlow';
import { isHttpServer, isWsServer } from './serverKinds';

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
    // With no server given, nothing is ever installed: the channel's warnings go to the console.
    const bindings = channel ? new BroadcastBindings(channel, store, serverList[0]?.logger ?? console, resolved.now, telemetry) : new ConnectionBindings(telemetry);
    // A session the store dropped to make room ends as a revoked one does: its sockets close.
    if (isEvictionSource(resolved.store)) resolved.store.onEvict(({ key }) => bindings.close(key, SESSION_REVOKED_REASON));
    const devices = new DeviceDirectory(store, codec, bindings, audit, resolved.now);
    const ctx: PluginContext = { options: resolved, codec, store, audit, bindings, devices, telemetry };
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
            return id === undefined ? undefined : new ConnectionSessionFacade(new CallSession(ctx, { id, signedWithCurrentSecret: true }, conn));
        },
        revocationChannelState: () => bindings instanceof BroadcastBindings ? bindings.state : 'none',
    };
}

function installFlows(server: BaseServer<any>, ctx: PluginContext, support: CarrierSupport | undefined): void {
    // Only long connections are bound to sessions or closed with a reason. An HTTP server runs its
    // connect and disconnect flows for every request, and each node there costs TSRPC's flow machinery.
    if (!isHttpServer(server)) {
        guardCloseReasons(server);
        server.flows.postDisconnectFlow.push(v => {
            ctx.bindings.unbind(v.conn);
            return v;
        });
    }
    if (isWsServer(server)) trackCallsInFlight(server);
    if (support) installCarriers(server, ctx, support);
    installCallFlow(server, ctx, support);
    installReturnFlow(server, ctx, support);
}
