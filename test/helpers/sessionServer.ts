import { HttpServer, Logger, WsServer } from 'tsrpc';
import { CountingStore } from 'tsrpc-session/testing';
import { enableSession, MemoryStore, SessionOptions, SessionPlugin } from 'tsrpc-session/server';
import { CookieStorage, EnableCookiesOptions } from 'tsrpc-session/client';
import { serviceProto, ServiceType } from '../protocols/serviceProto';
import { implementTestApis } from './testApis';
import { makeClient, startServer, TestClient, Transport } from './transports';

export const TEST_SECRETS = ['test-secret-0123456789-abcdefghijklmnop'];

export interface SessionTestServer {
    server: HttpServer<ServiceType> | WsServer<ServiceType>;
    plugin: SessionPlugin;
    /** Counts every store operation the plugin makes. */
    store: CountingStore;
    url: string;
    /** A connected client on this server; closed by `stop()`. */
    client(storage?: CookieStorage | null, cookieOptions?: Partial<EnableCookiesOptions>): Promise<TestClient<ServiceType>>;
    stop(): Promise<void>;
}

/** A real TSRPC server on port 0 with the test APIs and the session plugin. */
export async function startSessionServer(transport: Transport, options: Partial<SessionOptions> = {}, logger?: Logger): Promise<SessionTestServer> {
    const store = new CountingStore(options.store ?? new MemoryStore());
    const { server, url, setup: plugin } = await startServer(transport, serviceProto, started => {
        const enabled = enableSession(started, { secrets: TEST_SECRETS, ...options, store });
        implementTestApis(started);
        return enabled;
    }, logger);
    const clients: TestClient<ServiceType>[] = [];
    return {
        server,
        plugin,
        store,
        url,
        async client(storage, cookieOptions) {
            const client = await makeClient(transport, url, serviceProto, storage, cookieOptions);
            clients.push(client);
            return client;
        },
        async stop() {
            await Promise.all(clients.map(c => c.close()));
            await server.stop();
        },
    };
}
