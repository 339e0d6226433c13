/**
 * Two figures of RedisStore's near cache, `npm run bench:near` (REDIS_URL, default
 * 127.0.0.1:6379, best a Redis of its own: the command count is server-wide; TRIALS, default 1000).
 * The hot read: CPU µs per `load` of a cached session beside a MemoryStore's `load` of the same
 * record (alternating batches, in one process), and the commands Redis ran meanwhile (INFO
 * commandstats: 0 expected). The lag: server A (a RedisStore without near cache) revokes or updates
 * a session that server B (with `nearCache`) holds in its cache; the lag is the time from A's write
 * being acknowledged to B's first read that sees it. With REDIS_CLUSTER (a node's url, e.g. one of
 * `scripts/redis-cluster.sh`'s) the stores run on node-redis cluster clients, sessions spread over
 * the shards (anonymous, each key its own slot), and the commands are summed over the masters.
 */
import { randomBytes } from 'crypto';
import { performance } from 'perf_hooks';
import { MemoryStore } from 'tsrpc-session/server';
import { openRedisCommandCounter } from './redis';
import { setImmediate } from 'timers/promises';
import type { SessionRecord, SessionStore } from 'tsrpc-session/stores';
import { RedisStore } from 'tsrpc-session/stores/redis';
import { createCluster } from 'redis';

export type LagKind = 'revoke' | 'update';

/** Per trial, the ms between A's write and B's first read reflecting it. B must have a near cache. */
export async function lagTrials(a: SessionStore, b: RedisStore, trials: number, record: SessionRecord, now: number, kind: LagKind = 'revoke'): Promise<number[]> {
    const lags: number[] = [];
    const activity = { now, lastSeenAt: now, idleExpiresAt: record.idleExpiresAt };
    for (let i = 0; i < trials; i++) {
        const key = `lag-${i}-${randomBytes(6).toString('hex')}`;
        await a.create(key, record);
        await warmNear(b, key, now);
        if (kind === 'revoke') await a.destroy(key);
        else await a.update(key, { set: { trial: i }, unset: [] }, activity);
        const written = performance.now();
        while (!seen(await b.load(key, now), kind, i)) await setImmediate();
        lags.push(performance.now() - written);
        if (kind === 'update') await a.destroy(key);
    }
    return lags;
}

function seen(loaded: SessionRecord | undefined, kind: LagKind, trial: number): boolean {
    return kind === 'revoke' ? loaded === undefined : loaded?.data.trial === trial;
}

/** Reads until B's near cache answers the key by itself. */
async function warmNear(b: RedisStore, key: string, now: number): Promise<void> {
    for (;;) {
        await b.load(key, now);
        const hits = b.nearCacheStats()!.hits;
        await b.load(key, now);
        if (b.nearCacheStats()!.hits > hits) return;
        await setImmediate();
    }
}

export function percentile(sorted: number[], p: number): number {
    return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

/** CPU µs per `load` of one record, median of `batches` batches of `reads` each, alternating the stores batch by batch. */
async function hotReadMicros(stores: SessionStore[], key: string, now: number, batches = 21, reads = 5000): Promise<number[]> {
    const samples: number[][] = stores.map(() => []);
    for (let b = 0; b < batches; b++) {
        for (const [i, store] of stores.entries()) {
            const start = process.cpuUsage();
            for (let r = 0; r < reads; r++) await store.load(key, now);
            const used = process.cpuUsage(start);
            samples[i].push((used.user + used.system) / reads);
        }
    }
    return samples.map(s => s.sort((x, y) => x - y)[Math.floor(s.length / 2)]);
}

/** The stores on a cluster: each its own cluster client, as two servers would have; commands counted on every master. */
async function clusterSetup(rootUrl: string, prefix: string) {
    const clients = [0, 1].map(() => createCluster({ rootNodes: [{ url: rootUrl }], defaults: { disableOfflineQueue: true } }));
    await Promise.all(clients.map(c => c.connect()));
    const counters = await Promise.all(clients[0].masters.map(m => openRedisCommandCounter(`redis://${m.host}:${m.port}`)));
    return {
        a: new RedisStore({ cluster: clients[0], prefix }),
        b: new RedisStore({ cluster: clients[1], prefix, nearCache: { maxEntries: 10_000 } }),
        counter: {
            count: async () => (await Promise.all(counters.map(c => c.count()))).reduce((x, y) => x + y, 0),
            close: async () => { await Promise.all([...counters.map(c => c.close()), ...clients.map(c => c.close())]); },
        },
        where: `a cluster of ${counters.length} masters`,
    };
}

async function standaloneSetup(url: string, prefix: string) {
    return {
        a: new RedisStore({ url, prefix }),
        b: new RedisStore({ url, prefix, nearCache: { maxEntries: 10_000 } }),
        counter: await openRedisCommandCounter(url),
        where: 'one Redis',
    };
}

async function main(): Promise<void> {
    const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
    const trials = Number(process.env.TRIALS ?? 1000);
    const onCluster = process.env.REDIS_CLUSTER;
    const prefix = `tsrpc-session-bench:near:${process.pid}:`;
    const { a, b, counter, where } = onCluster ? await clusterSetup(onCluster, prefix) : await standaloneSetup(url, prefix);
    const now = Date.now();
    // On a cluster a user's sessions need the user's slot tag in their keys: these are anonymous, each key its own slot.
    const record: SessionRecord = { v: 2, createdAt: now, lastSeenAt: now, idleExpiresAt: now + 600_000, absoluteExpiresAt: now + 3_600_000, ...!onCluster && { userId: 'bench' }, data: { cart: ['a'] } };
    try {
        const memory = new MemoryStore();
        await Promise.all([memory.create('hot', record), a.create('hot', record)]);
        await warmNear(b, 'hot', now);
        const before = await counter.count();
        const [memoryMicros, nearMicros] = await hotReadMicros([memory, b], 'hot', now);
        const commands = await counter.count() - before;
        console.log(`on ${where}; hot read: MemoryStore ${memoryMicros.toFixed(2)} µs, RedisStore nearCache ${nearMicros.toFixed(2)} µs CPU per load (+${(nearMicros - memoryMicros).toFixed(2)}); `
            + `Redis ran ${commands} commands for ${b.nearCacheStats()!.hits} cached reads`);
        for (const kind of ['revoke', 'update'] as const) {
            const lags = (await lagTrials(a, b, trials, record, now, kind)).sort((x, y) => x - y);
            const ms = (p: number) => percentile(lags, p).toFixed(3);
            console.log(`${kind} on A → read on B: ${trials} trials, p50 ${ms(0.5)} ms, p99 ${ms(0.99)} ms, max ${lags[lags.length - 1].toFixed(3)} ms`);
        }
    } finally {
        await a.destroy('hot');
        await a.destroyByUser('bench');
        await Promise.all([a.close(), b.close(), counter.close()]);
    }
}

if (require.main === module) main().catch(e => { console.error(e); process.exitCode = 1; });
