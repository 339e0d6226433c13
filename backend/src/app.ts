// Before the handlers: under ts-node they type-check against the app's SessionData.
import './demo/sessionData';
import { AddressInfo } from 'net';
import { BaseServer, HttpServer, Logger, TerminalColorLogger, WsServer } from 'tsrpc';
import { API_PATH } from '../../shared/pageConfig';
import { serviceProto, ServiceType } from '../../shared/protocols/serviceProto';
import { ApiAddToCart } from './api/ApiAddToCart';
import { ApiGetCart } from './api/ApiGetCart';
import { ApiGetMe } from './api/ApiGetMe';
import { LoginDependencies, makeApiLogin } from './api/ApiLogin';
import { ApiListDevices } from './api/ApiListDevices';
import { ApiLogout } from './api/ApiLogout';
import { ApiLogoutOthers } from './api/ApiLogoutOthers';
import { ApiRevokeDevice } from './api/ApiRevokeDevice';
import {
    allowWebSocketOrigins, enableSession, limitRequestSize, limitWebSockets, SealedSessionOptions, SessionOptions, SessionPlugin, WebSocketLimitOptions,
} from 'tsrpc-session/server';
import { trustedClientAddress } from './hardening/clientAddress';
import { DeviceCookies } from './hardening/deviceCookies';
import { LoginGuard, LoginGuardOptions } from './hardening/loginGuard';
import { redactingLogger } from './hardening/redactingLogger';

export interface ExampleAppOptions {
    /** 0 picks a free port. */
    httpPort: number;
    wsPort: number;
    /** The address both servers listen on. @defaultValue '127.0.0.1': browsers reach them through the page's web server only */
    host?: string;
    /** A store (`store`), or sealed mode (`sealed`: sessions in their cookie, no store). */
    session: SessionOptions | SealedSessionOptions;
    /** Page origins allowed to open WebSockets (clients that send no Origin, i.e. not browsers, always may). @defaultValue any */
    allowedOrigins?: readonly string[];
    /** Largest request body or WebSocket message read. @defaultValue 1 MiB */
    maxRequestBytes?: number;
    /** Login throttling; the clock is injectable for tests. */
    login?: Partial<LoginGuardOptions>;
    /** Open WebSockets per client address and in all (limitWebSockets). @defaultValue limitWebSockets' defaults */
    webSockets?: Partial<Pick<WebSocketLimitOptions, 'maxPerAddress' | 'maxTotal'>>;
    /**
     * The secret the example's forwarder sends with every request (forwarding.ts): only requests
     * carrying it have their `X-Forwarded-For` believed. @defaultValue none: no forwarder is trusted
     */
    proxySecret?: string;
    /** Passwords are redacted from whatever it prints. @defaultValue TSRPC's console logger */
    logger?: Logger;
}

export interface ExampleApp {
    http: HttpServer<ServiceType>;
    ws: WsServer<ServiceType>;
    /** One plugin on both servers: a logout over HTTP closes that session's WebSockets. */
    sessions: SessionPlugin;
    start(): Promise<{ httpPort: number; wsPort: number }>;
    stop(): Promise<void>;
}

/**
 * The example's APIs on an HTTP and a WebSocket server sharing one session store, on loopback
 * unless told otherwise: the page's web server forwards `/api/…` (the HTTP server's JSON path, kept
 * as it is) and the `/ws` upgrade to them.
 */
export function createExampleApp(options: ExampleAppOptions): ExampleApp {
    const host = options.host ?? '127.0.0.1';
    // Internal errors answer "Internal Server Error" only; the real error goes to the log.
    const common = { json: true, returnInnerError: false, logger: redactingLogger(options.logger ?? new TerminalColorLogger()) };
    // No CORS (TSRPC's default allows any origin): the page calls its own origin, and no other page may read the answers.
    const http = new HttpServer(serviceProto, { ...common, port: listenOn(host, options.httpPort), jsonHostPath: API_PATH, cors: undefined });
    const ws = new WsServer(serviceProto, { ...common, port: listenOn(host, options.wsPort) });
    limitRequestSize([http, ws], { maxBytes: options.maxRequestBytes });
    if (options.allowedOrigins) allowWebSocketOrigins(ws, options.allowedOrigins);
    const { proxySecret } = options;
    limitWebSockets(ws, { ...options.webSockets, addressOf: req => trustedClientAddress(req, proxySecret) });
    // The page's session rides an HttpOnly cookie; Node clients and mini-programs keep the body.
    // In sealed mode listSessions answers SESSION_SEALED_UNSUPPORTED at run time (ApiListDevices says so).
    const sessions = enableSession([http, ws], { carriers: ['httpCookie', 'body'], ...options.session }) as SessionPlugin;
    const login = { guard: new LoginGuard(options.login), devices: new DeviceCookies(options.session.secrets[0]), proxySecret };
    implementExampleApis(http, login);
    implementExampleApis(ws, login);
    return {
        http,
        ws,
        sessions,
        async start() {
            await Promise.all([http.start(), ws.start()]);
            return { httpPort: listeningPort(http), wsPort: listeningPort(ws) };
        },
        async stop() {
            await Promise.all([http.stop(), ws.stop()]);
        },
    };
}

export function implementExampleApis(server: BaseServer<ServiceType>, login: LoginDependencies): void {
    server.implementApi('Login', makeApiLogin(login));
    server.implementApi('Logout', ApiLogout);
    server.implementApi('GetMe', ApiGetMe);
    server.implementApi('AddToCart', ApiAddToCart);
    server.implementApi('GetCart', ApiGetCart);
    server.implementApi('ListDevices', ApiListDevices);
    server.implementApi('RevokeDevice', ApiRevokeDevice);
    server.implementApi('LogoutOthers', ApiLogoutOthers);
}

/**
 * TSRPC hands its `port` option to Node's `server.listen` as it is, and `listen` also takes
 * `{ port, host }`: the one way to bind a TSRPC server to a single address. `toString` keeps
 * TSRPC's "Server started at …" log line readable.
 */
function listenOn(host: string, port: number): number {
    return { port, host, toString: () => `${host}:${port}` } as unknown as number;
}

/** The port a started HttpServer or WsServer listens on (useful after asking for port 0). */
export function listeningPort(server: HttpServer<any> | WsServer<any>): number {
    const nodeServer = server instanceof HttpServer ? server.httpServer : (server as unknown as { _httpServer?: HttpServer['httpServer'] })._httpServer;
    const address = nodeServer?.address() as AddressInfo | null | undefined;
    if (!address) throw new Error('server is not listening');
    return address.port;
}
