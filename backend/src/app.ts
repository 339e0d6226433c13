// Before the handlers: under ts-node they type-check against the app's SessionData.
import './demo/sessionData';
import { AddressInfo } from 'net';
import { BaseServer, HttpServer, Logger, WsServer } from 'tsrpc';
import { serviceProto, ServiceType } from '../../shared/protocols/serviceProto';
import { ApiAddToCart } from './api/ApiAddToCart';
import { ApiGetCart } from './api/ApiGetCart';
import { ApiGetMe } from './api/ApiGetMe';
import { ApiLogin } from './api/ApiLogin';
import { ApiListDevices } from './api/ApiListDevices';
import { ApiLogout } from './api/ApiLogout';
import { ApiLogoutOthers } from './api/ApiLogoutOthers';
import { ApiRevokeDevice } from './api/ApiRevokeDevice';
import { enableSession, SessionOptions, SessionPlugin } from 'tsrpc-session/server';

export interface ExampleAppOptions {
    /** 0 picks a free port. */
    httpPort: number;
    wsPort: number;
    session: SessionOptions;
    /** Origin allowed to call the HTTP API from a browser. */
    corsOrigin?: string;
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

/** The example's APIs on an HTTP and a WebSocket server sharing one session store. */
export function createExampleApp(options: ExampleAppOptions): ExampleApp {
    const common = { json: true, ...(options.logger && { logger: options.logger }) };
    const http = new HttpServer(serviceProto, { ...common, port: options.httpPort, cors: options.corsOrigin });
    const ws = new WsServer(serviceProto, { ...common, port: options.wsPort });
    const sessions = enableSession([http, ws], options.session);
    implementExampleApis(http);
    implementExampleApis(ws);
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

export function implementExampleApis(server: BaseServer<ServiceType>): void {
    server.implementApi('Login', ApiLogin);
    server.implementApi('Logout', ApiLogout);
    server.implementApi('GetMe', ApiGetMe);
    server.implementApi('AddToCart', ApiAddToCart);
    server.implementApi('GetCart', ApiGetCart);
    server.implementApi('ListDevices', ApiListDevices);
    server.implementApi('RevokeDevice', ApiRevokeDevice);
    server.implementApi('LogoutOthers', ApiLogoutOthers);
}

/** The port a started HttpServer or WsServer listens on (useful after asking for port 0). */
export function listeningPort(server: HttpServer<any> | WsServer<any>): number {
    const nodeServer = server instanceof HttpServer ? server.httpServer : (server as unknown as { _httpServer?: HttpServer['httpServer'] })._httpServer;
    const address = nodeServer?.address() as AddressInfo | null | undefined;
    if (!address) throw new Error('server is not listening');
    return address.port;
}
