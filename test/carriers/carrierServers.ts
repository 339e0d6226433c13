import { AddressInfo } from 'net';
import { HttpServer, Logger, WsServer } from 'tsrpc';
import { CountingStore } from 'tsrpc-session/testing';
import { enableSession, MemoryStore, SessionOptions, SessionPlugin } from 'tsrpc-session/server';
import { serviceProto, ServiceType } from '../protocols/serviceProto';
import { freePort } from '../helpers/freePort';
import { TEST_SECRETS } from '../helpers/sessionServer';
import { implementTestApis } from '../helpers/testApis';
import { TestClock } from '../helpers/testClock';
import { silentLogger } from '../helpers/transports';

/** An HttpServer and a WsServer sharing one plugin, as an app serving one origin runs them. */
export interface SessionServers<Plugin> {
    http: HttpServer<ServiceType>;
    ws: WsServer<ServiceType>;
    plugin: Plugin;
    clock: TestClock;
    /** `http://127.0.0.1:<port>`; the exchange path is `${httpUrl}/__session`. */
    httpUrl: string;
    httpHost: string;
    wsUrl: string;
    wsHost: string;
    stop(): Promise<void>;
}

/** The carrier tests' servers: a store (a MemoryStore unless given), counted. */
export interface CarrierServers extends SessionServers<SessionPlugin> {
    store: CountingStore;
}

/**
 * Starts both servers with the test APIs on free ports; `enable` installs the plugin on them (store
 * or sealed mode: enableSession's overloads pick the plugin's type).
 */
export async function startSessionServers<Plugin>(
    enable: (servers: [HttpServer<ServiceType>, WsServer<ServiceType>]) => Plugin, clock: TestClock, logger: Logger = silentLogger,
): Promise<SessionServers<Plugin>> {
    const http = new HttpServer(serviceProto, { port: 0, json: true, logger });
    const wsPort = await freePort();
    const ws = new WsServer(serviceProto, { port: wsPort, json: true, logger });
    const plugin = enable([http, ws]);
    implementTestApis(http);
    implementTestApis(ws);
    await http.start();
    await ws.start();
    const { port } = http.httpServer!.address() as AddressInfo;
    return {
        http, ws, plugin, clock,
        httpUrl: `http://127.0.0.1:${port}`,
        httpHost: `127.0.0.1:${port}`,
        wsUrl: `ws://127.0.0.1:${wsPort}`,
        wsHost: `127.0.0.1:${wsPort}`,
        async stop() {
            await Promise.allSettled([http.stop(), ws.stop()]);
        },
    };
}

export async function startCarrierServers(options: Partial<SessionOptions>, logger: Logger = silentLogger): Promise<CarrierServers> {
    const clock = new TestClock();
    const store = new CountingStore(options.store ?? new MemoryStore());
    const servers = await startSessionServers(both => enableSession(both, { secrets: TEST_SECRETS, now: clock.now, ...options, store }), clock, logger);
    return { ...servers, store };
}

export interface HttpAnswer {
    status: number;
    headers: Headers;
    body: { isSucc: boolean; res?: any; err?: { message: string; code?: string; [key: string]: unknown } };
}

/** A plain `fetch` POST of a JSON call, as curl or a native app would send it. */
export async function post(baseUrl: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<HttpAnswer> {
    const response = await fetch(`${baseUrl}/${path}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...headers },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
    });
    return { status: response.status, headers: response.headers, body: JSON.parse(await response.text()) };
}

/**
 * The session cookie's own `Set-Cookie` of an answer, parsed: its value and attributes (lower-case
 * names). The last line of that name: clearing lines for planted copies go before it.
 */
export function sessionSetCookie(answer: HttpAnswer, name = 'sid'): { value: string; attributes: Map<string, string> } | undefined {
    for (const line of answer.headers.getSetCookie().reverse()) {
        const [pair, ...rest] = line.split(';').map(part => part.trim());
        const eq = pair.indexOf('=');
        if (pair.slice(0, eq) !== name) continue;
        const attributes = new Map(rest.map(attribute => {
            const at = attribute.indexOf('=');
            return at < 0 ? [attribute.toLowerCase(), ''] : [attribute.slice(0, at).toLowerCase(), attribute.slice(at + 1)];
        }));
        return { value: pair.slice(eq + 1), attributes };
    }
    return undefined;
}
