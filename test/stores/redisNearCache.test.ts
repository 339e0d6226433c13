import assert from 'assert';
import { createClient } from 'redis';
import { describeStoreContract, SessionRecord } from 'tsrpc-session/stores';
import { RedisStore } from 'tsrpc-session/stores/redis';
import { NearSend, RedisNearCache } from '../../backend/src/session/stores/redisNearCache';
import { nodeTracker, TrackingClient } from '../../backend/src/session/stores/redisTracking';
import { deleteKeys, REDIS_URL, testPrefix } from './redisHelpers';
import { lagTrials } from '../../bench/nearCache';
import { commandCount, commandsSince, untilTrue, warm } from './nearCacheHelpers';
import { redisClusterNearFactory, redisNearFactory } from './storeFactories';

describeStoreContract('RedisStore with nearCache', redisNearFactory.make);
describeStoreContract('RedisStore on a Redis Cluster with nearCache', redisClusterNearFactory.make);

/** Each test's clock: records expire in Redis at their own times, so a time taken at load would run out in a long suite. */
let NOW = Date.now();

function record(userId: string): SessionRecord {
    return { v: 2, createdAt: NOW, lastSeenAt: NOW, idleExpiresAt: NOW + 60_000, absoluteExpiresAt: NOW + 3_600_000, userId, data: { cart: ['a'] } };
}

describe('RedisStore nearCache', () => {
    let prefix: string;
    let admin: ReturnType<typeof createClient>;
    const stores: RedisStore[] = [];
    const open = (nearCache: boolean) => {
        const store = new RedisStore({ url: REDIS_URL, prefix, ...nearCache && { nearCache: { maxEntries: 100 } } });
        stores.push(store);
        return store;
    };

    beforeEach(async () => {
        NOW = Date.now();
        prefix = testPrefix('near');
        admin = createClient({ url: REDIS_URL });
        await admin.connect();
    });

    afterEach(async () => {
        await Promise.all(stores.splice(0).map(s => s.close()));
        await admin.close();
        await deleteKeys(prefix);
    });

    it('answers a hot read with no Redis command, a fresh copy each time', async () => {
        const store = open(true);
        await store.create('k', record('u1'));
        await warm(store, 'k', NOW);
        const before = await commandCount(admin);
        const first = await store.load('k', NOW);
        for (let i = 0; i < 99; i++) await store.load('k', NOW);
        assert.strictEqual(await commandsSince(admin, before), 0);
        first!.data.cart = 'changed by a handler';
        assert.deepStrictEqual((await store.load('k', NOW))!.data, { cart: ['a'] });
        assert.ok(store.nearCacheStats()!.hits >= 100);
    });

    it('never serves a cached record past its idle or absolute expiry (checked at load time, no command)', async () => {
        const store = open(true);
        await store.create('k', record('u1'));
        await warm(store, 'k', NOW);
        const before = await commandCount(admin);
        assert.strictEqual(await store.load('k', NOW + 60_000), undefined);
        assert.strictEqual(await store.load('k', NOW + 3_600_000), undefined);
        assert.strictEqual(await commandsSince(admin, before), 0);
    });

    it('reads its own writes at once, and another server\'s after Redis invalidates', async () => {
        const [a, b] = [open(true), open(true)];
        await a.create('k', record('u1'));
        await warm(a, 'k', NOW);
        await warm(b, 'k', NOW);
        const activity = { now: NOW, lastSeenAt: NOW, idleExpiresAt: NOW + 60_000 };
        assert.ok(await a.update('k', { set: { cart: ['a', 'b'] }, unset: [] }, activity));
        assert.deepStrictEqual((await a.load('k', NOW))!.data.cart, ['a', 'b']);
        await untilTrue(async () => ((await b.load('k', NOW))!.data.cart as string[]).length === 2);
        await a.touch('k', { ...activity, lastSeenAt: NOW + 5, idleExpiresAt: NOW + 60_005 });
        await untilTrue(async () => (await b.load('k', NOW))!.idleExpiresAt === NOW + 60_005);
        await a.destroyByUser('u1');
        assert.strictEqual(await a.load('k', NOW), undefined);
        await untilTrue(async () => await b.load('k', NOW) === undefined);
    });

    it('drops a fill whose read was answered before an invalidation that arrived after it', async () => {
        const tracking = createClient({ url: REDIS_URL, RESP: 3, emitInvalidate: true, disableOfflineQueue: true });
        const cache = new RedisNearCache<string>(nodeTracker(tracking as unknown as TrackingClient, 2000), 10);
        try {
            const key = `${prefix}race`;
            await admin.set(key, 'old');
            let sawTracking = false;
            // Until the cache reads over its tracking connection (answering undefined caches nothing).
            await untilTrue(async () => {
                await cache.fill(`${prefix}warm-up`, async send => {
                    sawTracking = send !== undefined;
                    return undefined;
                });
                return sawTracking;
            });
            let reads = 0;
            const read = async (send: NearSend) => {
                reads++;
                const value = String(await send!(['GET', key]));
                // The key changes after Redis answered this read and before the cache could store it.
                if (value === 'old') {
                    await admin.set(key, 'new');
                    await cache.settled();
                }
                return value;
            };
            assert.strictEqual(await cache.fill(key, read), 'old');
            assert.strictEqual(cache.stats().size, 0, 'the spoiled fill was dropped');
            assert.strictEqual(await cache.fill(key, read), 'new');
            assert.strictEqual(cache.cached(key), 'new', 'the fresh value is cached');
            assert.strictEqual(reads, 2);
        } finally {
            cache.close();
        }
    });

    it('empties at once when its tracking connection is killed, then reads Redis and caches again', async () => {
        const store = open(true);
        await store.create('k', record('u1'));
        await warm(store, 'k', NOW);
        const list = String(await admin.sendCommand(['CLIENT', 'LIST']));
        const trackers = list.split('\n').filter(line => /\bflags=\S*t\S*/.test(line) && / resp=3/.test(line));
        assert.strictEqual(trackers.length, 1, list);
        const flushes = store.nearCacheStats()!.flushes;
        await admin.sendCommand(['CLIENT', 'KILL', 'ID', /\bid=(\d+)/.exec(trackers[0])![1]]);
        await untilTrue(async () => store.nearCacheStats()!.flushes > flushes);
        assert.strictEqual(store.nearCacheStats()!.size, 0);
        const before = await commandCount(admin);
        assert.ok(await store.load('k', NOW));
        assert.ok(await commandsSince(admin, before) >= 1, 'the read after the loss went to Redis');
        await warm(store, 'k', NOW);
    });

    it('a session revoked on server A stops answering on server B within 200 ms (every trial)', async () => {
        const [a, b] = [open(false), open(true)];
        const lags = await lagTrials(a, b, 100, record('u1'), NOW);
        assert.ok(Math.max(...lags) < 200, `lags: ${lags.join(', ')}`);
    });

    it('runs on a node-redis client of the app\'s own (a RESP3 duplicate), which close() leaves open', async () => {
        const own = createClient({ url: REDIS_URL });
        await own.connect();
        try {
            const store = new RedisStore({ client: own, prefix, nearCache: { maxEntries: 10 } });
            stores.push(store);
            await store.create('k', record('u1'));
            await warm(store, 'k', NOW);
            await store.close();
            assert.strictEqual(await own.ping(), 'PONG');
        } finally {
            await own.close();
        }
    });

    it('refuses an ioredis client, a cluster client that lists no masters and a bad maxEntries at construction', () => {
        const ioredisLike = { call: async () => null, status: 'ready', duplicate: () => ({}) };
        assert.throws(() => new RedisStore({ client: ioredisLike as never, nearCache: { maxEntries: 10 } }), /nearCache needs a url or a node-redis 5 or 6 client/);
        assert.throws(() => new RedisStore({ cluster: { sendCommand: async () => null }, prefix: '{s}:', nearCache: { maxEntries: 10 } }), /nearCache on a cluster needs node-redis's cluster client/);
        assert.throws(() => new RedisStore({ url: REDIS_URL, nearCache: { maxEntries: 0 } }), /maxEntries must be a positive integer/);
    });
});
