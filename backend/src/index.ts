// The example shop of tsrpc-session. Read the session demo first: its 8 handlers in backend/src/api/
// (Login, Logout, GetMe, AddToCart, GetCart, ListDevices, RevokeDevice, LogoutOthers: call.session
// and call.cookie at work), then app.ts, where enableSession puts them on an HTTP and a WebSocket
// server. This file starts them behind the page's web server (web/); hardening/ holds the login
// throttling and log redaction a public demo needs. The smallest app to start from is
// test/package/consumerApp (see the README).
import { randomBytes } from 'crypto';
import { join } from 'path';
import { Logger } from 'tsrpc';
import { API_PATH, WEB_SOCKET_PATH } from '../../shared/pageConfig';
import { createExampleApp, ExampleApp } from './app';
import { closeSessionStorage, limitFromEnv, sessionStorageFromEnv } from './storeFromEnv';
import { ExampleTelemetry, startExampleTelemetry } from './telemetry';
import { ApiUpstreams, startWebServer, WebServer } from './web/webServer';

/** The page `npm run build:web` (run by `npm start`) bundled. */
const DEFAULT_WEB_ROOT = join(__dirname, '../../frontend/dist');

export interface RunningExample {
    app: ExampleApp;
    web: WebServer;
    /** What the page calls, on its own origin: e.g. http://127.0.0.1:8080/api and ws://127.0.0.1:8080/ws. */
    api: { httpUrl: string; wsUrl: string };
    /** Where the web server forwards them: the API servers, on loopback. */
    upstreams: ApiUpstreams;
    telemetry: ExampleTelemetry;
    stop(): Promise<void>;
}

/**
 * Starts the example from environment variables (see the README): the page's web server, which
 * is the one origin browsers use, and the HTTP and WebSocket APIs on loopback behind it.
 */
export async function startExample(env: NodeJS.ProcessEnv, logger?: Logger): Promise<RunningExample> {
    const secrets = env.SESSION_SECRETS?.split(',').map(s => s.trim()).filter(Boolean) ?? [];
    if (secrets.length === 0) {
        secrets.push(randomBytes(32).toString('base64url'));
        console.warn('SESSION_SECRETS is not set: signing with a random secret, so sessions end when this process does.');
    }
    const telemetry = await startExampleTelemetry(env);
    const storage = await sessionStorageFromEnv(env);
    const apiHost = '127.0.0.1';
    // Proves a request came through this process's forwarder (or a proxy given TRUSTED_PROXY_SECRET):
    // the API believes X-Forwarded-For only with it.
    const proxySecret = env.TRUSTED_PROXY_SECRET || randomBytes(32).toString('base64url');
    let upstreams: ApiUpstreams | undefined;
    const web = await startWebServer({
        root: env.WEB_ROOT ?? DEFAULT_WEB_ROOT,
        port: Number(env.WEB_PORT ?? 8080),
        host: env.WEB_HOST ?? '127.0.0.1',
        api: () => upstreams,
        development: env.NODE_ENV === 'development',
    });
    let app: ExampleApp;
    try {
        app = createExampleApp({
            proxySecret,
            webSockets: { maxPerAddress: limitFromEnv(env, 'WS_MAX_PER_ADDRESS'), maxTotal: limitFromEnv(env, 'WS_MAX_TOTAL') },
            login: { maxTrackedKeys: limitFromEnv(env, 'LOGIN_MAX_TRACKED_KEYS') },
            httpPort: Number(env.HTTP_PORT ?? 3000),
            wsPort: Number(env.WS_PORT ?? 3001),
            host: apiHost,
            allowedOrigins: [env.PAGE_ORIGIN ?? web.origin],
            maxRequestBytes: env.MAX_REQUEST_BYTES === undefined ? undefined : Number(env.MAX_REQUEST_BYTES),
            // Anonymous visitors (a cart, no login) cost the store 5 minutes, not the 30 of a logged-in user.
            session: {
                secrets, ...storage, anonymousIdleTimeoutMs: 5 * 60_000, maxSessionsPerUser: limitFromEnv(env, 'SESSIONS_PER_USER'), httpCookie: { secure: cookieSecure(env.SESSION_COOKIE_SECURE) },
            },
            logger,
        });
        const { httpPort, wsPort } = await app.start();
        upstreams = { http: { host: apiHost, port: httpPort, proxySecret }, ws: { host: apiHost, port: wsPort, proxySecret } };
    } catch (e) {
        await web.stop();
        await closeSessionStorage(storage);
        await telemetry.stop();
        throw e;
    }
    return {
        app,
        web,
        api: { httpUrl: `${web.origin}${API_PATH.slice(0, -1)}`, wsUrl: `${web.origin.replace(/^http/, 'ws')}${WEB_SOCKET_PATH}` },
        upstreams,
        telemetry,
        async stop() {
            await Promise.all([app.stop(), web.stop()]);
            await closeSessionStorage(storage);
            await telemetry.stop();
        },
    };
}

/**
 * The session cookie's `Secure` flag: on unless the page is served over plain HTTP from a host
 * browsers do not count as secure (Chromium keeps Secure cookies for http://127.0.0.1 and
 * http://localhost, as the browser tests show).
 */
function cookieSecure(value: string | undefined): boolean {
    if (value === undefined || value === 'true') return true;
    if (value === 'false') return false;
    throw new TypeError(`SESSION_COOKIE_SECURE must be true or false, not '${value}'`);
}

async function main() {
    const example = await startExample(process.env);
    const { http, ws } = example.upstreams;
    console.log(`Example API: ${example.api.httpUrl}/ and ${example.api.wsUrl}, forwarded to ${http.host}:${http.port} and ${ws.host}:${ws.port}; store ${process.env.SESSION_STORE ?? 'memory'}`);
    console.log(`Example page: ${example.web.origin} (open it there)`);
    if (example.telemetry.metricsUrl) console.log(`Prometheus metrics: ${example.telemetry.metricsUrl}`);
    const shutdown = async () => {
        await example.stop();
        process.exit(0);
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
}

if (require.main === module) {
    main().catch(e => {
        console.error(e);
        process.exit(1);
    });
}
