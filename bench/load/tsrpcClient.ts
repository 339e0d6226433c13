import http from 'http';
import { HttpClient, WsClient } from 'tsrpc';
import { enableCookies, MemoryStorage } from 'tsrpc-session/client';
import { serviceProto } from '../protocols/serviceProto';
import type { BenchApi, CookieLoad, Transport } from '../scenarios';
import type { BenchClient } from './BenchClient';
import { fixedCookies } from './bodyCookies';

const silentLogger = { debug() {}, log() {}, info() {}, warn() {}, error() {} };

/**
 * The client users run: a tsrpc WsClient (one socket) or HttpClient (one keep-alive socket), with
 * `enableCookies` for a `session` load; a `fixed` (or `fixed-seal`) load puts its one `__cookie` in every request.
 * Its own cost is part of what is measured.
 */
export async function connectTsrpcClient(transport: Transport, port: number, cookies: CookieLoad): Promise<BenchClient> {
    const common = { logger: silentLogger, logLevel: 'none' as const, json: true };
    const client = transport === 'ws'
        ? new WsClient(serviceProto, { ...common, server: `ws://127.0.0.1:${port}` })
        : new HttpClient(serviceProto, { ...common, server: `http://127.0.0.1:${port}`, agent: new http.Agent({ keepAlive: true, maxSockets: 1 }) });
    if (cookies === 'session') enableCookies(client, { storage: new MemoryStorage() });
    const fixedCookie = fixedCookies(cookies);
    const fixed = fixedCookie ? { __cookie: fixedCookie } : {};
    if (client instanceof WsClient) {
        const connected = await client.connect();
        if (!connected.isSucc) throw new Error(`WebSocket connect failed: ${connected.errMsg}`);
    }
    return {
        async call(api: BenchApi | 'Setup' | 'SessionEnd', req: object) {
            const ret = await client.callApi(api, { ...req, ...fixed } as never);
            if (!ret.isSucc) throw new Error(ret.err.message);
        },
        async close() {
            if (client instanceof WsClient) await client.disconnect();
            else client.options.agent?.destroy();
        },
    };
}
