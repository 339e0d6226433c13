/** What the benchmark runs: which server, which call, and the goal each figure is marked against. */

export type Framework = 'tsrpc' | 'express';
export type Transport = 'http' | 'ws';
/** `none`: no session plugin / middleware at all; `sealed`: the plugin in sealed mode (no store). */
/**
 * `redis-near`: RedisStore with `nearCache` (hot reads from memory, kept fresh by Redis's tracking
 * invalidations); `redis-near-cold`: the same with room for one session, so the 32 clients' reads
 * nearly all miss it (a cold read: over the tracking connection, then a fill).
 */
export type StoreKind = 'none' | 'memory' | 'redis' | 'redis-near' | 'redis-near-cold' | 'sealed';
export type BenchApi = 'Ping' | 'CookieGet' | 'SessionRead' | 'SessionWrite';
/**
 * What each client carries in `__cookie`:
 * `none` nothing; `session` what `Setup` gave it (a signed sid and an app cookie), kept up to date;
 * `fixed` always the same sid-shaped value (well-formed, wrong signature) and the same app cookie,
 * whatever the server answers: the bare twins' load, and an attacker's on a plugin server;
 * `fixed-seal` the same with a seal-sized sid (FIXED_SEAL), which the bare twin answers with a
 * seal-sized cookie update: a sealed write's bytes, both ways, without the plugin; `fixed-seal-busy`
 * the same, the twin spending BUSY_MICROS of CPU in the handler before it answers.
 */
export type CookieLoad = 'none' | 'session' | 'fixed' | 'fixed-seal' | 'fixed-seal-busy';
/**
 * Where a TSRPC client carries its session id (issue 13's carriers): in the body's `__cookie`, in
 * the session header (`x-session-id`), or in the Cookie header; app cookies stay in the body.
 */
export type SessionCarrier = 'body' | 'header' | 'httpCookie';

/** One server process; the scenarios that share it run one after another on it. */
export interface ServerSpec {
    framework: Framework;
    transport: Transport;
    store: StoreKind;
    /** The plugin's only carrier (`carriers: [carrier]`); a server without the plugin ignores it. */
    carrier: SessionCarrier;
    redisUrl: string;
    /** Every Redis key of this run starts with it, so cleanup never touches anyone else's keys. */
    redisPrefix: string;
}

export interface Goal {
    /** Store operations per call the design promises. */
    storeOpsPerCall?: number;
    /** Commands Redis runs per call (INFO commandstats), at most: a near-cached read's is 0. */
    redisCommandsPerCall?: number;
    /** Most server CPU µs per call over the baseline (the plugin's own cost). */
    maxExtraMicros?: number;
    /** Most extra µs per call as a multiple of another scenario's extra µs. */
    maxTimesExtraOf?: { id: string; factor: number };
    /** Most server CPU µs per call over another scenario's (a Redis store over the memory store). */
    maxMicrosOver?: { id: string; micros: number };
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
    cookies: CookieLoad;
    carrier: SessionCarrier;
    /** Said in the table and the README. */
    description: string;
    /**
     * The scenario on a server without the plugin answering the same request, `__cookie` included,
     * with the same response: what this one's extra CPU and calls/s ratio are measured against.
     */
    baseline?: string;
    /**
     * A second twin (itself measured over `baseline`): the extra CPU is also shown over it, as the
     * difference of the two extras, round by round; no goal is marked on it.
     */
    alsoOver?: string;
    goal: Goal;
}

function tsrpcScenarios(transport: Transport): Scenario[] {
    const id = (name: string) => `tsrpc/${transport}/${name}`;
    const scenario = (name: string, store: StoreKind, api: BenchApi, cookies: CookieLoad, description: string, baseline?: string, goal: Goal = {}, carrier: SessionCarrier = 'body'): Scenario =>
        ({ id: id(name), framework: 'tsrpc', transport, store, api, cookies, carrier, description, goal, ...(baseline && { baseline: id(baseline) }) });
    // The session in a header (HTTP only): its cost per call beside the body's, against bare twins carrying the same header.
    const headerCarriers: Scenario[] = transport === 'ws' ? [] : [
        scenario('bare-read-header', 'none', 'SessionRead', 'fixed', 'no plugin: SessionRead, sid in x-session-id, app cookie in the body', undefined, {}, 'header'),
        scenario('header-read', 'memory', 'SessionRead', 'session', 'plugin, carriers [header]: session.get, sid in x-session-id', 'bare-read-header', {}, 'header'),
        scenario('bare-read-httpcookie', 'none', 'SessionRead', 'fixed', 'no plugin: SessionRead, sid in the Cookie header, app cookie in the body', undefined, {}, 'httpCookie'),
        scenario('httpcookie-read', 'memory', 'SessionRead', 'session', 'plugin, carriers [httpCookie]: session.get, sid in the Cookie header', 'bare-read-httpcookie', {}, 'httpCookie'),
    ];
    return [
        scenario('bare', 'none', 'Ping', 'none', 'no plugin: Ping, no __cookie (TSRPC alone)'),
        scenario('bare-cookie', 'none', 'CookieGet', 'fixed', 'no plugin: CookieGet with sid + app cookie, same answer as the plugin\'s'),
        scenario('bare-read', 'none', 'SessionRead', 'fixed', 'no plugin: SessionRead with sid + app cookie, same answer'),
        scenario('bare-write', 'none', 'SessionWrite', 'fixed', 'no plugin: SessionWrite with sid + app cookie, same answer'),
        scenario('bare-write-sealed', 'none', 'SessionWrite', 'fixed-seal',
            'no plugin: SessionWrite with a seal-sized sid + app cookie, answering a seal-sized cookie update: a seal\'s bytes both ways', 'bare-write'),
        { ...scenario('bare-write-sealed-busy', 'none', 'SessionWrite', 'fixed-seal-busy',
            'no plugin: bare-write-sealed, the handler busy for 15 us of CPU first (about the plugin\'s own work in process)', 'bare-write'), alsoOver: id('bare-write-sealed') },
        scenario('no-cookie', 'memory', 'Ping', 'none', 'plugin: Ping without any __cookie', 'bare', { maxExtraMicros: 5, storeOpsPerCall: 0 }),
        scenario('cookie', 'memory', 'CookieGet', 'session', 'plugin: call.cookie.get, valid sid never touched', 'bare-cookie', { maxExtraMicros: 5, storeOpsPerCall: 0 }),
        scenario('rejected', 'memory', 'CookieGet', 'fixed', 'plugin: CookieGet with a sid whose signature fails', 'bare-cookie',
            { maxTimesExtraOf: { id: id('cookie'), factor: 2 }, storeOpsPerCall: 0 }),
        scenario('memory-read', 'memory', 'SessionRead', 'session', 'plugin: session.get, MemoryStore', 'bare-read', { maxExtraMicros: 8, storeOpsPerCall: 1 }),
        scenario('memory-write', 'memory', 'SessionWrite', 'session', 'plugin: session.set one key, MemoryStore', 'bare-write', { maxExtraMicros: 12, storeOpsPerCall: 1 }),
        scenario('redis-read', 'redis', 'SessionRead', 'session', 'plugin: session.get, RedisStore', 'bare-read',
            { maxMicrosOver: { id: id('memory-read'), micros: 35 }, storeOpsPerCall: 1 }),
        scenario('redis-write', 'redis', 'SessionWrite', 'session', 'plugin: session.set one key, RedisStore', 'bare-write',
            { maxMicrosOver: { id: id('memory-write'), micros: 45 }, storeOpsPerCall: 1 }),
        scenario('redis-near-read', 'redis-near', 'SessionRead', 'session', 'plugin: session.get, RedisStore with nearCache (hot: no Redis command)', 'bare-read',
            { maxMicrosOver: { id: id('memory-read'), micros: 5 }, storeOpsPerCall: 1, redisCommandsPerCall: 0 }),
        scenario('redis-near-cold-read', 'redis-near-cold', 'SessionRead', 'session', 'plugin: session.get, RedisStore with a nearCache of 1 session (cold: nearly every read misses)', 'bare-read',
            { maxMicrosOver: { id: id('redis-read'), micros: 5 }, storeOpsPerCall: 1 }),
        scenario('redis-near-write', 'redis-near', 'SessionWrite', 'session', 'plugin: session.set one key, RedisStore with nearCache', 'bare-write',
            { maxMicrosOver: { id: id('redis-write'), micros: 5 }, storeOpsPerCall: 1 }),
        scenario('sealed-read', 'sealed', 'SessionRead', 'session', 'plugin, sealed mode: session.get, the seal in __cookie (opened seals cached)', 'bare-read',
            { maxExtraMicros: 8, storeOpsPerCall: 0 }),
        { ...scenario('sealed-write', 'sealed', 'SessionWrite', 'session', 'plugin, sealed mode: session.set one key, a new seal in the answer', 'bare-write',
            { maxExtraMicros: 12, storeOpsPerCall: 0 }), alsoOver: id('bare-write-sealed') },
        ...headerCarriers,
    ];
}

/** express runs over HTTP only: it has no WebSocket RPC to compare with. */
const expressScenarios: Scenario[] = [
    { id: 'express/http/bare', framework: 'express', transport: 'http', store: 'none', api: 'Ping', cookies: 'none', carrier: 'body', description: 'express.json, empty answer', goal: {} },
    {
        id: 'express/http/redis-read', framework: 'express', transport: 'http', store: 'redis', api: 'SessionRead', cookies: 'session', carrier: 'body',
        description: 'express-session + connect-redis, read', baseline: 'express/http/bare', goal: { reference: 'issue 7: 0.65' },
    },
    {
        id: 'express/http/redis-write', framework: 'express', transport: 'http', store: 'redis', api: 'SessionWrite', cookies: 'session', carrier: 'body',
        description: 'express-session + connect-redis, write', baseline: 'express/http/bare', goal: { reference: 'issue 7: 0.58' },
    },
];

export const ALL_SCENARIOS: readonly Scenario[] = [...tsrpcScenarios('http'), ...tsrpcScenarios('ws'), ...expressScenarios];

/** Scenarios a scenario's figures are compared with: its baseline and the ones its goal names. */
function comparedWith(s: Scenario): string[] {
    const { maxTimesExtraOf, maxMicrosOver } = s.goal;
    return [s.baseline, s.alsoOver, maxTimesExtraOf?.id, maxMicrosOver?.id].filter((id): id is string => id !== undefined);
}

/**
 * The scenarios whose id contains one of `filters` (all when empty), with the scenarios their
 * figures are compared with added back (transitively), in the canonical order.
 */
export function selectScenarios(filters: readonly string[], transports: readonly Transport[]): Scenario[] {
    const byId = new Map(ALL_SCENARIOS.map(s => [s.id, s]));
    const wanted = new Set<string>();
    const add = (s: Scenario) => {
        if (wanted.has(s.id)) return;
        wanted.add(s.id);
        for (const id of comparedWith(s)) add(byId.get(id)!);
    };
    ALL_SCENARIOS
        .filter(s => transports.includes(s.transport))
        .filter(s => filters.length === 0 || filters.some(f => s.id.includes(f)))
        .forEach(add);
    return ALL_SCENARIOS.filter(s => wanted.has(s.id));
}

/**
 * Scenarios grouped by framework and transport, in first-use order: a group's servers (one process
 * per store kind) are up together, so a scenario can alternate with its baseline.
 */
export function groupByTransport(scenarios: readonly Scenario[]): Scenario[][] {
    const groups = new Map<string, Scenario[]>();
    for (const s of scenarios) {
        const key = `${s.framework}/${s.transport}`;
        groups.set(key, [...(groups.get(key) ?? []), s]);
    }
    return [...groups.values()];
}
