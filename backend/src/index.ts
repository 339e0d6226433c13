import { randomBytes } from 'crypto';
import { join } from 'path';
import { Logger } from 'tsrpc';
import { PageApiAddresses } from '../../shared/pageConfig';
import { createExampleApp, ExampleApp } from './app';
import { storeFromEnv } from './storeFromEnv';
import { startWebServer, WebServer } from './webServer';

/** The page `npm run build:web` (run by `npm start`) bundled. */
const DEFAULT_WEB_ROOT = join(__dirname, '../../frontend/dist');

export interface RunningExample {
    app: ExampleApp;
    web: WebServer;
    /** What the page is told to call: the ports the API servers really listen on. */
    api: PageApiAddresses;
    stop(): Promise<void>;
}

/**
 * Starts the example (the page's web server and the HTTP and WebSocket APIs) from environment
 * variables; see the README. The page learns its API addresses from here, never from its URL.
 */
export async function startExample(env: NodeJS.ProcessEnv, logger?: Logger): Promise<RunningExample> {
    const secrets = env.SESSION_SECRETS?.split(',').map(s => s.trim()).filter(Boolean) ?? [];
    if (secrets.length === 0) {
        secrets.push(randomBytes(32).toString('base64url'));
        console.warn('SESSION_SECRETS is not set: signing with a random secret, so sessions end when this process does.');
    }
    const store = await storeFromEnv(env);
    const webHost = env.WEB_HOST ?? '127.0.0.1';
    // The host browsers reach the API by: the page's own unless the API has a public name of its own.
    const apiHost = env.API_HOST ?? webHost;
    let api: PageApiAddresses | undefined;
    const web = await startWebServer({
        root: env.WEB_ROOT ?? DEFAULT_WEB_ROOT,
        port: Number(env.WEB_PORT ?? 8080),
        host: webHost,
        api: () => api ?? { httpUrl: '', wsUrl: '' },
        development: env.NODE_ENV === 'development',
    });
    let app: ExampleApp;
    try {
        app = createExampleApp({
            httpPort: Number(env.HTTP_PORT ?? 3000),
            wsPort: Number(env.WS_PORT ?? 3001),
            corsOrigin: env.CORS_ORIGIN ?? web.origin,
            allowedOrigins: [env.CORS_ORIGIN ?? web.origin],
            maxRequestBytes: env.MAX_REQUEST_BYTES === undefined ? undefined : Number(env.MAX_REQUEST_BYTES),
            // Anonymous visitors (a cart, no login) cost the store 5 minutes, not the 30 of a logged-in user.
            session: { secrets, store, anonymousIdleTimeoutMs: 5 * 60_000 },
            logger,
        });
        const { httpPort, wsPort } = await app.start();
        api = { httpUrl: `http://${apiHost}:${httpPort}`, wsUrl: `ws://${apiHost}:${wsPort}` };
    } catch (e) {
        await web.stop();
        await store.close?.();
        throw e;
    }
    return {
        app,
        web,
        api,
        async stop() {
            await Promise.all([app.stop(), web.stop()]);
            await store.close?.();
        },
    };
}

async function main() {
    const example = await startExample(process.env);
    console.log(`Example API: ${example.api.httpUrl} and ${example.api.wsUrl}, store ${process.env.SESSION_STORE ?? 'memory'}`);
    console.log(`Example page: ${example.web.origin}`);
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
