/** What the benchmark runs: which server, which call, and the goal each figure is marked against. */

export type Framework = 'tsrpc' | 'express';
export type Transport = 'http' | 'ws';
/** `none`: no session plugin / middleware at all. */
export type StoreKind = 'none' | 'memory' | 'redis';
export type BenchApi = 'Ping' | 'CookieGet' | 'SessionRead' | 'SessionWrite';

/** One server process; the scenarios that share it run one after another on it. */
export interface ServerSpec {
    framework: Framework;
    transport: Transport;
    store: StoreKind;
    redisUrl: string;
    /** Every Redis key of this run starts with it, so cleanup never touches anyone else's keys. */
    redisPrefix: string;
}

export interface Goal {
    /** Least calls/s as a fraction of the framework's bare baseline. */
    minRatio?: number;
    /** Store operations per call the design promises. */
    storeOpsPerCall?: number;
    /** A figure measured elsewhere, shown for comparison and not marked. */
    reference?: string;
}

export interface Scenario {
    /** `framework/transport/name`, what `--scenarios` filters on. */
    id: string;
    framework: Framework;
    transport: Transport;
    store: StoreKind;
    api: BenchApi;
    /** Said in the table and the README. */
    description: string;
    /** The id whose calls/s this scenario's ratio divides by; absent for the baselines themselves. */
    baseline?: string;
    goal: Goal;
}

function tsrpcScenarios(transport: Transport): Scenario[] {
    const baseline = `tsrpc/${transport}/bare`;
    const scenario = (name: string, store: StoreKind, api: BenchApi, description: string, goal: Goal = {}): Scenario =>
        ({ id: `tsrpc/${transport}/${name}`, framework: 'tsrpc', transport, store, api, description, goal, ...(store !== 'none' && { baseline }) });
    return [
        scenario('bare', 'none', 'Ping', 'no plugin, empty call'),
        scenario('cookie', 'memory', 'CookieGet', 'plugin, call.cookie.get, session untouched', { minRatio: 0.95, storeOpsPerCall: 0 }),
        scenario('memory-read', 'memory', 'SessionRead', 'session.get, memory store', { minRatio: 0.90 }),
        scenario('memory-write', 'memory', 'SessionWrite', 'session.set one key, memory store'),
        scenario('redis-read', 'redis', 'SessionRead', 'session.get, RedisStore', { minRatio: 0.83 }),
        scenario('redis-write', 'redis', 'SessionWrite', 'session.set one key, RedisStore', { minRatio: 0.79 }),
    ];
}

/** express runs over HTTP only: it has no WebSocket RPC to compare with. */
const expressScenarios: Scenario[] = [
    { id: 'express/http/bare', framework: 'express', transport: 'http', store: 'none', api: 'Ping', description: 'express.json, empty answer', goal: {} },
    {
        id: 'express/http/redis-read', framework: 'express', transport: 'http', store: 'redis', api: 'SessionRead',
        description: 'express-session + connect-redis, read', baseline: 'express/http/bare', goal: { reference: 'issue: 0.65' },
    },
    {
        id: 'express/http/redis-write', framework: 'express', transport: 'http', store: 'redis', api: 'SessionWrite',
        description: 'express-session + connect-redis, write', baseline: 'express/http/bare', goal: { reference: 'issue: 0.58' },
    },
];

export const ALL_SCENARIOS: readonly Scenario[] = [...tsrpcScenarios('http'), ...tsrpcScenarios('ws'), ...expressScenarios];

/**
 * The scenarios whose id contains one of `filters` (all when empty), with the baselines their
 * ratios need added back, in the canonical order.
 */
export function selectScenarios(filters: readonly string[], transports: readonly Transport[]): Scenario[] {
    const wanted = new Set(ALL_SCENARIOS
        .filter(s => transports.includes(s.transport))
        .filter(s => filters.length === 0 || filters.some(f => s.id.includes(f)))
        .flatMap(s => (s.baseline ? [s.id, s.baseline] : [s.id])));
    return ALL_SCENARIOS.filter(s => wanted.has(s.id));
}

/** Scenarios grouped by the server they need, in first-use order: one server process per group. */
export function groupByServer(scenarios: readonly Scenario[]): Scenario[][] {
    const groups = new Map<string, Scenario[]>();
    for (const s of scenarios) {
        const key = `${s.framework}/${s.transport}/${s.store}`;
        groups.set(key, [...(groups.get(key) ?? []), s]);
    }
    return [...groups.values()];
}
