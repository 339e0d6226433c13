import { BaseServer, HttpServer, WsServer } from 'tsrpc';
import { CountingStore } from 'tsrpc-session/testing';
import { enableSession, MemoryStore } from 'tsrpc-session/server';
import { RedisStore } from 'tsrpc-session/stores/redis';
import { listeningPort } from '../../backend/src/app';
import { serviceProto, ServiceType } from '../protocols/serviceProto';
import type { ServerSpec } from '../scenarios';
import { APP_COOKIE, BENCH_SECRETS, BenchServer, BUSY_MICROS, FIXED_SEAL, FIXED_SEAL_ANSWER, FIXED_SEAL_BUSY, SEAL_MAX_AGE_MS, SETUP_VALUE } from './ipc';

declare module 'tsrpc-session/server' {
    interface SessionData {
        /** The one key the benchmark reads and writes. */
        benchValue: string;
    }
}

const silentLogger = { debug() {}, log() {}, info() {}, warn() {}, error() {} };

/** A TSRPC server with the benchmark APIs; the session plugin only when the spec names a store. */
export async function startTsrpcServer(spec: ServerSpec): Promise<BenchServer> {
    // Logging off: TSRPC logs every call by default, which would dominate what we measure.
    const options = { port: 0, json: true, logger: silentLogger, logLevel: 'none' as const };
    const server = spec.transport === 'ws' ? new WsServer(serviceProto, options) : new HttpServer(serviceProto, options);
    const store = spec.store === 'none' || spec.store === 'sealed' ? undefined : new CountingStore(makeStore(spec));
    if (store) enableSession(server, { secrets: BENCH_SECRETS, store, carriers: [spec.carrier] });
    if (spec.store === 'sealed') enableSession(server, { secrets: BENCH_SECRETS, sealed: {}, carriers: [spec.carrier] });
    let calls = 0;
    if (spec.store !== 'none') implementBenchApis(server, () => calls++);
    else implementBareTwins(server, () => calls++);
    await server.start();
    return {
        port: listeningPort(server),
        calls: () => calls,
        storeOps: () => ({ ...store?.counts }),
        resetCounters() {
            calls = 0;
            store?.reset();
        },
        async stop() {
            await server.stop();
            await store?.close();
        },
    };
}

function makeStore(spec: ServerSpec) {
    if (spec.store === 'memory') return new MemoryStore({ maxSessions: 100_000 });
    const nearCache = spec.store === 'redis-near' ? { maxEntries: 100_000 } : spec.store === 'redis-near-cold' ? { maxEntries: 1 } : undefined;
    return new RedisStore({ url: spec.redisUrl, prefix: `${spec.redisPrefix}tsrpc:`, ...nearCache && { nearCache } });
}

export function implementBenchApis(server: BaseServer<ServiceType>, countCall: () => void): void {
    server.implementApi('Ping', call => {
        countCall();
        return call.succ({});
    });
    server.implementApi('Setup', async call => {
        call.cookie.set(APP_COOKIE.name, APP_COOKIE.value);
        await call.session.set('benchValue', call.req.value);
        await call.succ({});
    });
    server.implementApi('CookieGet', call => {
        countCall();
        return call.succ({ value: call.cookie.get(call.req.name) });
    });
    server.implementApi('SessionRead', async call => {
        countCall();
        await call.succ({ value: await call.session.get('benchValue') });
    });
    server.implementApi('SessionWrite', async call => {
        countCall();
        await call.session.set('benchValue', call.req.value);
        await call.succ({});
    });
}

/**
 * The same APIs without the plugin, answering what the plugin's handlers answer in the benchmark
 * (the app cookie's value, the value Setup stored), so a plugin scenario and its bare twin differ
 * only by the plugin. `__cookie` is decoded and validated by TSRPC here too, then ignored; a
 * write carrying FIXED_SEAL is answered as a sealed write is, with a seal-sized cookie update.
 */
export function implementBareTwins(server: BaseServer<ServiceType>, countCall: () => void): void {
    server.implementApi('Ping', call => {
        countCall();
        return call.succ({});
    });
    server.implementApi('CookieGet', call => {
        countCall();
        return call.succ({ value: call.req.name === APP_COOKIE.name ? APP_COOKIE.value : undefined });
    });
    server.implementApi('SessionRead', call => {
        countCall();
        return call.succ({ value: SETUP_VALUE });
    });
    server.implementApi('SessionWrite', call => {
        countCall();
        const sid = call.req.__cookie?.sid;
        if (sid === FIXED_SEAL_BUSY) busyFor(BUSY_MICROS);
        if (sid === FIXED_SEAL || sid === FIXED_SEAL_BUSY) return call.succ({ __cookie: { sid: { value: FIXED_SEAL_ANSWER, maxAgeMs: SEAL_MAX_AGE_MS } } });
        return call.succ({});
    });
}

/** Spends `micros` of CPU on nothing (the clock read in a loop), in the handler's own turn. */
function busyFor(micros: number): void {
    const until = process.hrtime.bigint() + BigInt(micros * 1000);
    while (process.hrtime.bigint() < until);
}
