import { Logger } from 'tsrpc';
import { createExampleApp, ExampleApp, ExampleAppOptions } from '../../backend/src/app';
import { CountingStore } from 'tsrpc-session/testing';
import { MemoryStore, SessionOptions } from 'tsrpc-session/server';
import { CookieStorage } from 'tsrpc-session/client';
import { serviceProto, ServiceType } from '../../shared/protocols/serviceProto';
import { TEST_SECRETS } from './sessionServer';
import { makeClient, silentLogger, TestClient, Transport } from './transports';

export interface ExampleTestApp {
    app: ExampleApp;
    store: CountingStore;
    urls: { http: string; ws: string };
    /** A connected client of the example API over the transport; closed by `stop()`. */
    client(transport: Transport, storage?: CookieStorage | null): Promise<TestClient<ServiceType>>;
    stop(): Promise<void>;
}

/** The example app (HTTP and WS servers, one store) on free loopback ports, called directly (not through the page's web server). */
export async function startExampleApp(
    session: Partial<SessionOptions> = {}, logger: Logger = silentLogger, options: Partial<ExampleAppOptions> = {},
): Promise<ExampleTestApp> {
    const store = new CountingStore(session.store ?? new MemoryStore());
    const app = createExampleApp({ ...options, httpPort: 0, wsPort: 0, logger, session: { secrets: TEST_SECRETS, ...session, store } });
    const { httpPort, wsPort } = await app.start();
    // The HTTP server's JSON path is the example's /api/ (what the page's web server forwards).
    const urls = { http: `http://127.0.0.1:${httpPort}/api`, ws: `ws://127.0.0.1:${wsPort}` };
    const clients: TestClient<ServiceType>[] = [];
    return {
        app,
        store,
        urls,
        async client(transport, storage) {
            const client = await makeClient(transport, transport === 'ws' ? urls.ws : urls.http, serviceProto, storage);
            clients.push(client);
            return client;
        },
        async stop() {
            await Promise.all(clients.map(c => c.close()));
            await app.stop();
        },
    };
}
