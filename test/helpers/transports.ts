import { BaseServiceType, ServiceProto } from 'tsrpc-proto';
import { HttpClient, HttpServer, Logger, WsClient, WsServer } from 'tsrpc';
import { AddressInfo } from 'net';
import { freePort } from './freePort';
import { CookieJar, CookieStorage, enableCookies, EnableCookiesOptions } from 'tsrpc-session/client';

export type Transport = 'http-json' | 'http-binary' | 'ws';
export const TRANSPORTS: readonly Transport[] = ['http-json', 'http-binary', 'ws'];

/** Servers log nothing in tests unless asked: the output stays readable. */
export const silentLogger = { debug() {}, log() {}, warn() {}, error() {} };

/**
 * A started server on a free port, with `setup` (plugins, APIs) applied before it starts; `setup`'s
 * result is handed back.
 */
export async function startServer<T extends BaseServiceType, R>(
    transport: Transport, proto: ServiceProto<T>, setup: (server: HttpServer<T> | WsServer<T>) => R, logger: Logger = silentLogger,
): Promise<{ server: HttpServer<T> | WsServer<T>; url: string; setup: R }> {
    if (transport !== 'ws') {
        const server = new HttpServer(proto, { port: 0, json: true, logger });
        const result = setup(server);
        await server.start();
        const address = server.httpServer?.address() as AddressInfo | null | undefined;
        if (!address) throw new Error('HttpServer started but is not listening');
        return { server, url: `http://127.0.0.1:${address.port}`, setup: result };
    }
    // TSRPC's WsServer does not tell which port it took: ask the OS for a free one, retrying if
    // another process takes it first.
    for (let attempt = 1; ; attempt++) {
        const port = await freePort();
        const server = new WsServer(proto, { port, json: true, logger });
        const result = setup(server);
        try {
            await server.start();
            return { server, url: `ws://127.0.0.1:${port}`, setup: result };
        } catch (e) {
            if (attempt >= 5 || !/EADDRINUSE/.test(String((e as Error)?.message ?? e) + String((e as NodeJS.ErrnoException)?.code))) throw e;
        }
    }
}

export interface TestClient<T extends BaseServiceType> {
    client: HttpClient<T> | WsClient<T>;
    jar?: CookieJar;
    close(): Promise<void>;
}

/** A real tsrpc Node client over the transport, connected, with a cookie jar unless `storage` is null. */
export async function makeClient<T extends BaseServiceType>(
    transport: Transport, url: string, proto: ServiceProto<T>, storage?: CookieStorage | null, cookieOptions: Partial<EnableCookiesOptions> = {},
): Promise<TestClient<T>> {
    const options = { server: url, logger: silentLogger, json: transport === 'http-json' };
    const client = transport === 'ws' ? new WsClient(proto, options) : new HttpClient(proto, options);
    const jar = storage === null ? undefined : enableCookies(client, { ...(storage && { storage }), ...cookieOptions });
    if (client instanceof WsClient) {
        const connected = await client.connect();
        if (!connected.isSucc) throw new Error(`WebSocket connect failed: ${connected.errMsg}`);
    }
    return {
        client,
        jar,
        async close() {
            if (client instanceof WsClient) await client.disconnect();
        },
    };
}
