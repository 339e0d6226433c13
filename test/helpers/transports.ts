import { BaseServiceType, ServiceProto } from 'tsrpc-proto';
import { HttpClient, HttpServer, Logger, WsClient, WsServer } from 'tsrpc';
import { listeningPort } from '../../backend/src/app';
import { CookieJar, CookieStorage, enableCookies } from 'tsrpc-session/client';

export type Transport = 'http-json' | 'http-binary' | 'ws';
export const TRANSPORTS: readonly Transport[] = ['http-json', 'http-binary', 'ws'];

/** Servers log nothing in tests unless asked: the output stays readable. */
export const silentLogger = { debug() {}, log() {}, warn() {}, error() {} };

export function makeServer<T extends BaseServiceType>(transport: Transport, proto: ServiceProto<T>, logger: Logger = silentLogger): HttpServer<T> | WsServer<T> {
    const options = { port: 0, json: true, logger };
    return transport === 'ws' ? new WsServer(proto, options) : new HttpServer(proto, options);
}

export function serverUrl(transport: Transport, server: HttpServer<any> | WsServer<any>): string {
    return `${transport === 'ws' ? 'ws' : 'http'}://127.0.0.1:${listeningPort(server)}`;
}

export interface TestClient<T extends BaseServiceType> {
    client: HttpClient<T> | WsClient<T>;
    jar?: CookieJar;
    close(): Promise<void>;
}

/** A real tsrpc Node client over the transport, connected, with a cookie jar unless `storage` is null. */
export async function makeClient<T extends BaseServiceType>(
    transport: Transport, url: string, proto: ServiceProto<T>, storage?: CookieStorage | null, namespace?: string,
): Promise<TestClient<T>> {
    const options = { server: url, logger: silentLogger, json: transport === 'http-json' };
    const client = transport === 'ws' ? new WsClient(proto, options) : new HttpClient(proto, options);
    const jar = storage === null ? undefined : enableCookies(client, { ...(storage && { storage }), ...(namespace && { namespace }) });
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
