import { ChildProcess, fork } from 'child_process';
import path from 'path';
import { createClient } from 'redis';
import { medianBy } from '../stats';
import { measureRound } from './measureRound';
import { Population } from './population';
import type { FromScaleServer, ScaleServerSpec, ToScaleServer } from './scaleIpc';

export type ScaleStore = 'memory' | 'redis';
export type ScaleOperation = 'read' | 'write';

export interface ScaleSettings {
    sizes: number[];
    stores: ScaleStore[];
    concurrency: number;
    warmupMs: number;
    durationMs: number;
    rounds: number;
    /**
     * How many distinct sessions the clients call as, picked at random across the whole store for
     * each round; undefined: every call picks any stored session (no cache stays warm).
     */
    active?: number;
    /** A Redis that only this benchmark writes to (its used_memory is the figure), and the pid of its server for its CPU. */
    redis?: { url: string; pid?: number };
}

export interface ScaleRow {
    store: ScaleStore;
    size: number;
    operation: ScaleOperation;
    callsPerSecond: number;
    /** The Node server's CPU time per call, in the round where it was lowest (the least disturbed). */
    serverMicrosPerCall: number;
    /** The same, median over the rounds. */
    medianServerMicrosPerCall: number;
    /** redis-server's CPU time per call, when its pid is known. */
    redisMicrosPerCall?: number;
    /** MemoryStore: V8 heap growth per session; Redis: used_memory growth per session. */
    bytesPerSession: number;
    fillSeconds: number;
    errors: number;
}

type RedisClient = ReturnType<typeof createClient>;

const SERVER_ENTRY = path.join(__dirname, 'scaleServer.ts');

/** Fills each store to each size in turn and measures a session read and a session write at each. */
export async function runScale(settings: ScaleSettings, log: (line: string) => void): Promise<ScaleRow[]> {
    const rows: ScaleRow[] = [];
    for (const store of settings.stores) {
        if (store === 'redis' && !settings.redis) {
            log('redis: skipped (no Redis)');
            continue;
        }
        const prefix = `tsrpc-session-scale:${process.pid}:${Date.now()}:`;
        const server = await ScaleServer.start({
            store, maxSessions: Math.max(...settings.sizes) + 1000, redisUrl: settings.redis?.url ?? '', redisPrefix: prefix,
        });
        const redis: RedisClient | undefined = store === 'redis' ? createClient({ url: settings.redis!.url }) : undefined;
        await redis?.connect();
        try {
            const baseBytes = redis ? await usedMemory(redis) : (await server.request({ type: 'heap' }) as { heapUsed: number }).heapUsed;
            for (const size of settings.sizes) {
                log(`${store}: filling to ${size.toLocaleString('en')} sessions …`);
                const filled = await server.request({ type: 'fill', to: size }, 30 * 60_000) as Extract<FromScaleServer, { type: 'filled' }>;
                const bytes = redis ? await usedMemory(redis) : filled.heapUsed;
                const bytesPerSession = (bytes - baseBytes) / size;
                for (const operation of ['read', 'write'] as const) {
                    const measured: Omit<ScaleRow, 'store' | 'size' | 'operation' | 'bytesPerSession' | 'fillSeconds' | 'medianServerMicrosPerCall'>[] = [];
                    for (let round = 0; round < settings.rounds; round++) measured.push(await measure(server, size, operation, settings));
                    // Other programs only ever add CPU per call (lost caches, switches): the least disturbed round is the lowest.
                    const best = measured.reduce((min, m) => (m.serverMicrosPerCall < min.serverMicrosPerCall ? m : min));
                    const median = medianBy(measured, m => m.serverMicrosPerCall).serverMicrosPerCall;
                    rows.push({ store, size, operation, ...best, medianServerMicrosPerCall: median, bytesPerSession, fillSeconds: filled.fillMs / 1000 });
                    log(`  ${operation}: ${Math.round(best.callsPerSecond)} calls/s, ${best.serverMicrosPerCall.toFixed(1)} µs server CPU per call (median ${median.toFixed(1)}), ${Math.round(bytesPerSession)} bytes per session`);
                }
            }
        } finally {
            await server.stop();
            if (redis) {
                // A Redis the benchmark started goes away whole; someone else's keeps only its own keys.
                if (!settings.redis!.pid) await deleteByPrefix(redis, prefix);
                await redis.close();
            }
        }
    }
    return rows;

    async function measure(server: ScaleServer, size: number, operation: ScaleOperation, s: ScaleSettings) {
        const anyStored = () => Math.floor(Math.random() * size);
        const pick = s.active === undefined ? anyStored : fixedSample(Array.from({ length: Math.min(s.active, size) }, anyStored));
        const redisPids = server.store === 'redis' && s.redis?.pid ? [s.redis.pid] : [];
        const { callsPerSecond, serverMicros, redisMicros, errors } = await measureRound(server, new Population(), pick, operation, redisPids, s);
        return { callsPerSecond, serverMicrosPerCall: serverMicros, ...(redisMicros !== undefined && { redisMicrosPerCall: redisMicros }), errors };
    }
}

function fixedSample(indexes: number[]): () => number {
    return () => indexes[Math.floor(Math.random() * indexes.length)];
}

/** The scale benchmark's server in a process of its own, driven over IPC. */
export class ScaleServer {
    readonly #child: ChildProcess;
    readonly port: number;
    readonly store: ScaleServerSpec['store'];

    private constructor(child: ChildProcess, port: number, store: ScaleServerSpec['store']) {
        this.#child = child;
        this.port = port;
        this.store = store;
    }

    static async start(spec: ScaleServerSpec): Promise<ScaleServer> {
        const child = fork(SERVER_ENTRY, [JSON.stringify(spec)], {
            // gc() before each heap reading; room for a million sessions in memory.
            execArgv: ['--expose-gc', '--max-old-space-size=8192', '-r', 'ts-node/register/transpile-only'],
            stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        });
        process.once('exit', () => child.kill('SIGKILL'));
        const ready = await reply(child, 60_000);
        if (ready.type !== 'ready') throw new Error(`scale server: unexpected ${ready.type}`);
        return new ScaleServer(child, ready.port, spec.store);
    }

    request(message: ToScaleServer, timeoutMs = 30_000): Promise<FromScaleServer> {
        this.#child.send(message);
        return reply(this.#child, timeoutMs);
    }

    async stop(): Promise<void> {
        if (this.#child.exitCode !== null) return;
        const exited = new Promise(resolve => this.#child.once('exit', resolve));
        this.#child.send({ type: 'stop' } satisfies ToScaleServer);
        const timer = setTimeout(() => this.#child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
    }
}

function reply(child: ChildProcess, timeoutMs: number): Promise<FromScaleServer> {
    return new Promise((resolve, reject) => {
        const done = () => {
            clearTimeout(timer);
            child.off('message', onMessage);
            child.off('exit', onExit);
        };
        const onMessage = (message: FromScaleServer) => { done(); resolve(message); };
        const onExit = (code: number | null) => { done(); reject(new Error(`scale server exited (code ${code})`)); };
        const timer = setTimeout(() => { done(); reject(new Error('scale server did not answer')); }, timeoutMs);
        child.on('message', onMessage);
        child.once('exit', onExit);
    });
}

async function usedMemory(redis: RedisClient): Promise<number> {
    const info = await redis.info('memory');
    return Number(/used_memory:(\d+)/.exec(info)![1]);
}

async function deleteByPrefix(redis: RedisClient, prefix: string): Promise<void> {
    for await (const keys of redis.scanIterator({ MATCH: `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`, COUNT: 10_000 })) {
        if (keys.length > 0) await redis.unlink(keys);
    }
}
