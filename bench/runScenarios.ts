import type { BenchClient } from './load/BenchClient';
import { RawWsClient } from './load/rawWsClient';
import { RawHttpClient } from './load/rawHttpClient';
import { runLoad } from './load/runLoad';
import { connectTsrpcClient } from './load/tsrpcClient';
import type { BenchApi, Scenario, ServerSpec } from './scenarios';
import { APP_COOKIE, ServerStats, SETUP_VALUE } from './server/ipc';
import { ServerProcess } from './serverProcess';
import { percentile, sortedCopy } from './stats';

export type HttpClientKind = 'raw' | 'tsrpc';

export interface RunSettings {
    concurrency: number;
    warmupMs: number;
    durationMs: number;
    httpClient: HttpClientKind;
    redisUrl: string;
    redisPrefix: string;
    profileDir?: string;
}

/** One measured window of one scenario. */
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
    serverCalls: number;
    /** CPU over wall time; 1 = one core busy. */
    serverCpu: number;
    /** Server CPU time (user + system) per call its handlers answered, in µs: the headline figure. */
    serverMicrosPerCall: number;
    /** The kernel's part of it (system time): socket reads and writes, TSRPC's and the transport's. */
    serverSystemMicrosPerCall: number;
    generatorCpu: number;
    /** Machine CPU used by neither (Redis, other programs); high values mean the figures are disturbed. */
    otherCpu: number;
}

/**
 * Starts one server process for scenarios that share a server spec, runs each in turn with fresh
 * clients, and always stops the server.
 */
export async function runServerGroup(group: readonly Scenario[], settings: RunSettings, round: number, log: (line: string) => void): Promise<Map<string, Measurement>> {
    const { framework, transport, store } = group[0];
    const spec: ServerSpec = { framework, transport, store, redisUrl: settings.redisUrl, redisPrefix: settings.redisPrefix };
    const server = await ServerProcess.start(spec, settings.profileDir);
    const results = new Map<string, Measurement>();
    try {
        for (const scenario of group) {
            log(`  ${scenario.id} …`);
            results.set(scenario.id, await runScenario(scenario, server, settings, `${scenario.id.replace(/\//g, '-')}.round${round}`));
        }
    } finally {
        await server.stop();
    }
    return results;
}

async function runScenario(scenario: Scenario, server: ServerProcess, settings: RunSettings, profileName: string): Promise<Measurement> {
    const clients = await Promise.all(Array.from({ length: settings.concurrency }, () => connectClient(scenario, server.port, settings.httpClient)));
    try {
        if (scenario.cookies === 'session') await Promise.all(clients.map(client => client.call('Setup', { value: SETUP_VALUE })));
        const workers = clients.map(client => {
            let sequence = 0;
            return () => client.call(scenario.api, requestFor(scenario.api, sequence++));
        });
        let stats: ServerStats | undefined;
        const load = await runLoad(workers, {
            warmupMs: settings.warmupMs,
            durationMs: settings.durationMs,
            onMeasureStart: () => server.reset(settings.profileDir && profileName),
            onMeasureEnd: async () => { stats = await server.stats(); },
        });
        const latencies = sortedCopy(load.latenciesMs);
        const totalOps = Object.values(stats!.storeOps).reduce((sum, n) => sum + n, 0);
        return {
            callsPerSecond: load.calls / load.seconds,
            p50Ms: percentile(latencies, 50),
            p99Ms: percentile(latencies, 99),
            calls: load.calls,
            errors: load.errors,
            ...(load.firstError !== undefined && { firstError: load.firstError }),
            ...(scenario.store !== 'none' && { storeOpsPerCall: stats!.calls > 0 ? totalOps / stats!.calls : NaN }),
            storeOps: stats!.storeOps,
            serverCalls: stats!.calls,
            serverCpu: stats!.cpu,
            serverMicrosPerCall: stats!.calls > 0 ? stats!.cpuMicros / stats!.calls : NaN,
            serverSystemMicrosPerCall: stats!.calls > 0 ? stats!.systemMicros / stats!.calls : NaN,
            generatorCpu: load.cpu,
            otherCpu: Math.max(0, load.hostCpu - stats!.cpu - load.cpu),
        };
    } finally {
        await Promise.all(clients.map(client => client.close()));
    }
}

/**
 * Every scenario takes a minimal raw client (the one express gets over HTTP, a JSON-frame one over
 * WebSocket), so client costs are alike; `--http-client tsrpc` asks for the real tsrpc clients.
 */
function connectClient(scenario: Scenario, port: number, httpClient: HttpClientKind): Promise<BenchClient> | BenchClient {
    if (scenario.framework === 'express') return new RawHttpClient(port, 'header');
    if (httpClient === 'tsrpc') return connectTsrpcClient(scenario.transport, port, scenario.cookies);
    return scenario.transport === 'http' ? new RawHttpClient(port, { body: scenario.cookies }) : RawWsClient.connect(port, scenario.cookies);
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
