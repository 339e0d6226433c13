import { ChildProcess, fork } from 'child_process';
import { readFile } from 'fs/promises';
import path from 'path';
import { createClient } from 'redis';
import { runLoad } from '../load/runLoad';
import { medianBy } from '../stats';
import { Population } from './population';
import type { FromScaleServer, ScaleServerSpec, ToScaleServer } from './scaleIpc';
import { SessionCaller } from './sessionCaller';

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
export const CLOCK_TICKS_PER_SECOND = 100;

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
        const population = new Population();
        const callers = Array.from({ length: s.concurrency }, () => new SessionCaller(server.port));
        const anyStored = () => Math.floor(Math.random() * size);
        const pick = s.active === undefined ? anyStored : fixedSample(Array.from({ length: Math.min(s.active, size) }, anyStored));
        let sequence = 0;
        const workers = callers.map(caller => async () => {
            const sid = population.cookie(pick());
            if (operation === 'write') {
                await caller.call('SessionWrite', { value: `v${sequence++}` }, sid);
                return;
            }
            // A read that finds no session would be cheap and wrong: count it as an error.
            const res = await caller.call('SessionRead', {}, sid);
            if (typeof res.value !== 'string') throw new Error('a stored session was not found');
        });
        let stats: { calls: number; cpuMicros: number } | undefined;
        let redisTicks = 0;
        try {
            const load = await runLoad(workers, {
                warmupMs: s.warmupMs,
                durationMs: s.durationMs,
                onMeasureStart: async () => {
                    await server.request({ type: 'reset' });
                    redisTicks = await cpuTicks(s.redis?.pid);
                },
                onMeasureEnd: async () => {
                    stats = await server.request({ type: 'stats' }) as { calls: number; cpuMicros: number };
                    redisTicks = (await cpuTicks(s.redis?.pid)) - redisTicks;
                },
            });
            const redisMicros = server.store === 'redis' && s.redis?.pid ? (redisTicks / CLOCK_TICKS_PER_SECOND) * 1e6 / stats!.calls : undefined;
            return {
                callsPerSecond: load.calls / load.seconds,
                serverMicrosPerCall: stats!.cpuMicros / stats!.calls,
                ...(redisMicros !== undefined && { redisMicrosPerCall: redisMicros }),
                errors: load.errors,
            };
        } finally {
            for (const caller of callers) caller.close();
        }
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

/** User + system CPU of a process in clock ticks (Linux /proc), 0 when unknown. */
export async function cpuTicks(pid: number | undefined): Promise<number> {
    if (!pid) return 0;
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
}

async function deleteByPrefix(redis: RedisClient, prefix: string): Promise<void> {
    for await (const keys of redis.scanIterator({ MATCH: `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`, COUNT: 10_000 })) {
        if (keys.length > 0) await redis.unlink(keys);
    }
}
