import type { BenchClient } from './load/BenchClient';
import { RawWsClient } from './load/rawWsClient';
import { RawHttpClient } from './load/rawHttpClient';
import { LoadResult, runLoad } from './load/runLoad';
import { connectTsrpcClient } from './load/tsrpcClient';
import type { BenchApi, Scenario, ServerSpec } from './scenarios';
import { APP_COOKIE, ServerStats, SETUP_VALUE } from './server/ipc';
import { openRedisCommandCounter } from './redis';
import { ServerProcess } from './serverProcess';
import { medianBy, percentile, sortedCopy } from './stats';

export type HttpClientKind = 'raw' | 'tsrpc';

export interface RunSettings {
    concurrency: number;
    warmupMs: number;
    durationMs: number;
    /** A scenario with a baseline alternates with it in slices this long, so both see the same machine. */
    sliceMs: number;
    httpClient: HttpClientKind;
    redisUrl: string;
    redisPrefix: string;
    profileDir?: string;
}

/** Warm-up before each slice after the first: the server is warm, the clients' loop needs to fill again. */
const SLICE_WARMUP_MS = 250;

/** One measured window of one scenario (the sum of its slices, for a scenario run in slices). */
export interface Measurement {
    callsPerSecond: number;
    p50Ms: number;
    p99Ms: number;
    calls: number;
    errors: number;
    firstError?: string;
    /** Store operations over calls, both counted in the server for the same window; undefined without a store. */
    storeOpsPerCall?: number;
    storeOps: Record<string, number>;
    /** Commands Redis ran over calls, counted by Redis (INFO commandstats) for the same window; Redis stores only. */
    redisCommandsPerCall?: number;
    serverCalls: number;
    /** CPU over wall time; 1 = one core busy. */
    serverCpu: number;
    /** Server CPU time (user + system) per call its handlers answered, in µs. */
    serverMicrosPerCall: number;
    /** The kernel's part of it (system time): socket reads and writes, TSRPC's and the transport's. */
    serverSystemMicrosPerCall: number;
    /** The main thread's part of it; the rest is the server's other threads (GC helpers, compilers). */
    serverMainThreadMicrosPerCall: number;
    /** Server sleeps (voluntary context switches) per call: below 1, calls share wakeups. */
    serverSleepsPerCall: number;
    /** Server read/write syscalls per call (socket reads and writes, and the rest of that family). */
    serverIoSyscallsPerCall: number;
    /** Server garbage collections per 1,000 calls (scavenges, the others) and GC pause µs per call. */
    serverScavengesPerKCall: number;
    serverMajorGcsPerKCall: number;
    serverGcMicrosPerCall: number;
    /**
     * Server µs per call over the baseline's, slice against the slice just before it on the
     * baseline's server: the median over the slices. Undefined for scenarios without a baseline.
     */
    pairedExtraMicros?: number;
    generatorCpu: number;
    /** Machine CPU used by neither (Redis, other programs); high values mean the figures are disturbed. */
    otherCpu: number;
}

/** One slice: the load's side and the server's side of the same window. */
interface Slice {
    load: LoadResult;
    stats: ServerStats;
    redisCommands?: number;
}

/**
 * Runs one round of the scenarios of one framework and transport. The server processes they need
 * (bare, memory store, Redis store) all start first and stay up, so each scenario can alternate
 * with its bare baseline slice by slice; a baseline's own figures are its slices from all those
 * pairings. Every server is stopped at the end, on error too.
 */
export async function runTransportGroup(group: readonly Scenario[], settings: RunSettings, round: number, log: (line: string) => void): Promise<Map<string, Measurement>> {
    const servers = new Map<string, ServerProcess>();
    const results = new Map<string, Measurement>();
    const byId = new Map(group.map(s => [s.id, s]));
    const baselineSlices = new Map<string, Slice[]>(group.filter(s => s.baseline && byId.has(s.baseline)).map(s => [s.baseline!, []]));
    const profileName = (id: string) => `${id.replace(/\//g, '-')}.round${round}`;
    const counter = group.some(usesRedis) ? await openRedisCommandCounter(settings.redisUrl) : undefined;
    try {
        for (const scenario of group) {
            const key = serverKey(scenario);
            if (servers.has(key)) continue;
            const { framework, transport, store } = scenario;
            const carrier = store === 'none' ? 'body' : scenario.carrier;
            const spec: ServerSpec = { framework, transport, store, carrier, redisUrl: settings.redisUrl, redisPrefix: settings.redisPrefix };
            servers.set(key, await ServerProcess.start(spec, settings.profileDir));
        }
        for (const scenario of group) {
            if (baselineSlices.has(scenario.id)) continue;
            log(`  ${scenario.id} …`);
            const baseline = scenario.baseline ? byId.get(scenario.baseline) : undefined;
            const own = await Workload.open(scenario, servers.get(serverKey(scenario))!, settings, usesRedis(scenario) ? counter : undefined);
            const twin = baseline && await Workload.open(baseline, servers.get(serverKey(baseline))!, settings, undefined);
            try {
                if (twin) {
                    const { ownSlices, twinSlices, extras } = await runPaired(own, twin, settings, profileName(scenario.id));
                    baselineSlices.get(twin.scenario.id)!.push(...twinSlices);
                    results.set(scenario.id, { ...measurementOf(scenario, ownSlices), pairedExtraMicros: medianBy(extras, e => e) });
                } else {
                    results.set(scenario.id, measurementOf(scenario, [await own.slice(settings.warmupMs, settings.durationMs, profileName(scenario.id))]));
                }
            } finally {
                await Promise.all([own.close(), twin?.close()]);
            }
        }
        for (const [id, slices] of baselineSlices) if (slices.length > 0) results.set(id, measurementOf(byId.get(id)!, slices));
    } finally {
        await Promise.all([...servers.values()].map(server => server.stop()));
        await counter?.close();
    }
    return results;
}

function usesRedis(scenario: Scenario): boolean {
    return scenario.store === 'redis' || scenario.store === 'redis-near' || scenario.store === 'redis-near-cold';
}

type CommandCounter = Awaited<ReturnType<typeof openRedisCommandCounter>>;

/** One server process per store and, for the plugin, per carrier; every scenario without the plugin shares one. */
function serverKey(scenario: Scenario): string {
    return scenario.store === 'none' ? 'none' : `${scenario.store}/${scenario.carrier}`;
}

/** Alternates slices of the baseline and of the scenario; the extra CPU is taken slice pair by slice pair. */
async function runPaired(own: Workload, twin: Workload, settings: RunSettings, profileName: string): Promise<{ ownSlices: Slice[]; twinSlices: Slice[]; extras: number[] }> {
    const pairs = Math.max(1, Math.round(settings.durationMs / settings.sliceMs));
    const sliceMs = settings.durationMs / pairs;
    const ownSlices: Slice[] = [];
    const twinSlices: Slice[] = [];
    const extras: number[] = [];
    for (let i = 0; i < pairs; i++) {
        const warmupMs = i === 0 ? settings.warmupMs : SLICE_WARMUP_MS;
        // One profile per scenario and round, of its first slice; its baseline's slice beside it.
        const base = await twin.slice(warmupMs, sliceMs, i === 0 ? `${profileName}.baseline` : undefined);
        const mine = await own.slice(warmupMs, sliceMs, i === 0 ? profileName : undefined);
        twinSlices.push(base);
        ownSlices.push(mine);
        extras.push(microsPerCall(mine) - microsPerCall(base));
    }
    return { ownSlices, twinSlices, extras };
}

function microsPerCall(slice: Slice): number {
    return slice.stats.calls > 0 ? slice.stats.cpuMicros / slice.stats.calls : NaN;
}

/** The clients of one scenario on its server, kept connected across its slices. */
class Workload {
    readonly scenario: Scenario;
    readonly #server: ServerProcess;
    readonly #clients: BenchClient[];
    readonly #counter: CommandCounter | undefined;
    #sequence = 0;

    private constructor(scenario: Scenario, server: ServerProcess, clients: BenchClient[], counter: CommandCounter | undefined) {
        this.scenario = scenario;
        this.#server = server;
        this.#clients = clients;
        this.#counter = counter;
    }

    static async open(scenario: Scenario, server: ServerProcess, settings: RunSettings, counter: CommandCounter | undefined): Promise<Workload> {
        const clients = await Promise.all(Array.from({ length: settings.concurrency }, () => connectClient(scenario, server.port, settings.httpClient)));
        const workload = new Workload(scenario, server, clients, counter);
        try {
            if (scenario.cookies === 'session') await Promise.all(clients.map(client => client.call('Setup', { value: SETUP_VALUE })));
        } catch (e) {
            await workload.close();
            throw e;
        }
        return workload;
    }

    async slice(warmupMs: number, durationMs: number, profileName?: string): Promise<Slice> {
        const { api } = this.scenario;
        const workers = this.#clients.map(client => () => client.call(api, requestFor(api, this.#sequence++)));
        let stats: ServerStats | undefined;
        let commandsBefore = 0;
        let redisCommands: number | undefined;
        const load = await runLoad(workers, {
            warmupMs,
            durationMs,
            onMeasureStart: async () => {
                await this.#server.reset(profileName);
                if (this.#counter) commandsBefore = await this.#counter.count();
            },
            onMeasureEnd: async () => {
                stats = await this.#server.stats();
                if (this.#counter) redisCommands = await this.#counter.count() - commandsBefore;
            },
        });
        return { load, stats: stats!, ...(redisCommands !== undefined && { redisCommands }) };
    }

    async close(): Promise<void> {
        await Promise.all(this.#clients.map(client => client.close()));
    }
}

/** The slices of one scenario as one window: counts and times added, latencies pooled. */
function measurementOf(scenario: Scenario, slices: readonly Slice[]): Measurement {
    const sum = (f: (s: Slice) => number) => slices.reduce((total, s) => total + f(s), 0);
    const seconds = sum(s => s.load.seconds);
    const calls = sum(s => s.load.calls);
    const serverCalls = sum(s => s.stats.calls);
    const cpuMicros = sum(s => s.stats.cpuMicros);
    const storeOps: Record<string, number> = {};
    for (const s of slices) for (const [op, n] of Object.entries(s.stats.storeOps)) storeOps[op] = (storeOps[op] ?? 0) + n;
    const totalOps = Object.values(storeOps).reduce((total, n) => total + n, 0);
    const latencies = sortedCopy(slices.flatMap(s => s.load.latenciesMs));
    const serverCpu = cpuMicros / 1e6 / seconds;
    const generatorCpu = sum(s => s.load.cpu * s.load.seconds) / seconds;
    const hostCpu = sum(s => s.load.hostCpu * s.load.seconds) / seconds;
    const firstError = slices.find(s => s.load.firstError !== undefined)?.load.firstError;
    return {
        callsPerSecond: calls / seconds,
        p50Ms: percentile(latencies, 50),
        p99Ms: percentile(latencies, 99),
        calls,
        errors: sum(s => s.load.errors),
        ...(firstError !== undefined && { firstError }),
        ...(scenario.store !== 'none' && { storeOpsPerCall: serverCalls > 0 ? totalOps / serverCalls : NaN }),
        storeOps,
        ...(slices.every(s => s.redisCommands !== undefined) && { redisCommandsPerCall: serverCalls > 0 ? sum(s => s.redisCommands!) / serverCalls : NaN }),
        serverCalls,
        serverCpu,
        serverMicrosPerCall: serverCalls > 0 ? cpuMicros / serverCalls : NaN,
        serverSystemMicrosPerCall: serverCalls > 0 ? sum(s => s.stats.systemMicros) / serverCalls : NaN,
        serverMainThreadMicrosPerCall: serverCalls > 0 ? sum(s => s.stats.mainThreadMicros) / serverCalls : NaN,
        serverSleepsPerCall: serverCalls > 0 ? sum(s => s.stats.sleeps) / serverCalls : NaN,
        serverIoSyscallsPerCall: serverCalls > 0 ? sum(s => s.stats.ioSyscalls) / serverCalls : NaN,
        serverScavengesPerKCall: serverCalls > 0 ? 1000 * sum(s => s.stats.scavenges) / serverCalls : NaN,
        serverMajorGcsPerKCall: serverCalls > 0 ? 1000 * sum(s => s.stats.majorGcs) / serverCalls : NaN,
        serverGcMicrosPerCall: serverCalls > 0 ? sum(s => s.stats.gcMicros) / serverCalls : NaN,
        generatorCpu,
        otherCpu: Math.max(0, hostCpu - serverCpu - generatorCpu),
    };
}

/**
 * Every scenario takes a minimal raw client (the one express gets over HTTP, a JSON-frame one over
 * WebSocket), so client costs are alike; `--http-client tsrpc` asks for the real tsrpc clients.
 */
function connectClient(scenario: Scenario, port: number, httpClient: HttpClientKind): Promise<BenchClient> | BenchClient {
    if (scenario.framework === 'express') return new RawHttpClient(port, 'header');
    // A session in a header is sent the way curl or fetch would: by the raw client, whatever --http-client says.
    if (httpClient === 'tsrpc' && scenario.carrier === 'body') return connectTsrpcClient(scenario.transport, port, scenario.cookies);
    return scenario.transport === 'http' ? new RawHttpClient(port, { body: scenario.cookies, session: scenario.carrier }) : RawWsClient.connect(port, scenario.cookies);
}

function requestFor(api: BenchApi, sequence: number): object {
    switch (api) {
        case 'Ping': return {};
        case 'CookieGet': return { name: APP_COOKIE.name };
        case 'SessionRead': return {};
        // A new value every call, so every write is a real change.
        case 'SessionWrite': return { value: `v${sequence}` };
    }
}
