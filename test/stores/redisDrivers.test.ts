import assert from 'assert';
import IORedis, { Cluster } from 'ioredis';
import { createClient as createRedis4, createCluster as createCluster4 } from 'redis4';
import { RedisStore } from 'tsrpc-session/stores/redis';
import type { RevocationEvent, RevocationListener } from '../../backend/src/session/stores/RevocationChannel';
import { until } from '../revocation/revocationHelpers';
import { describeStoreContract } from './contract';
import { describeGuarantees } from './guarantees';
import { makeDriverStore, REDIS_DRIVERS } from './redisDrivers';
import { RedisChild, startRedisChild } from './redisServer';
import { REDIS_DRIVER_FACTORIES } from './storeFactories';
import { testPrefix } from './redisHelpers';

for (const driver of REDIS_DRIVERS) {
    describe(`RedisStore on a client of the app's own: ${driver.name}`, () => {
        describeStoreContract(`RedisStore on ${driver.name}`, () => makeDriverStore(driver, 'contract'));
    });
}
for (const factory of REDIS_DRIVER_FACTORIES) describeGuarantees(factory);

/** What a channel's subscriber heard. */
function recorder() {
    const heard: { events: RevocationEvent[]; states: string[] } = { events: [], states: [] };
    const listener: RevocationListener = {
        event: event => heard.events.push(event),
        down: reason => heard.states.push(`down: ${reason}`),
        up: () => heard.states.push('up'),
    };
    return { heard, listener };
}

for (const driver of REDIS_DRIVERS) {
    describe(`the revocation channel on ${driver.name}`, () => {
        let redis: RedisChild;
        const opened: { close(): Promise<unknown> }[] = [];
        beforeEach(async () => { redis = await startRedisChild(); });
        afterEach(async () => {
            for (const o of opened.splice(0).reverse()) await o.close();
            await redis.kill();
        });

        async function storeOn(prefix: string): Promise<RedisStore> {
            const connected = await driver.connect(redis.url);
            const store = new RedisStore({ client: connected.client, prefix });
            opened.push(connected, store);
            return store;
        }

        it('carries an event from one store to another, and comes back up after Redis restarts', async () => {
            const prefix = testPrefix('channel');
            const [a, b] = [await storeOn(prefix), await storeOn(prefix)];
            const channelA = a.openRevocationChannel()!;
            const channelB = b.openRevocationChannel()!;
            assert.ok(channelA && channelB, 'a client of the app\'s own gets a channel');
            const { heard, listener } = recorder();
            channelB.subscribe(listener);
            await until(() => heard.states.includes('up'), 5000, 'channel up');

            await channelA.publish({ type: 'closed', key: 'k1', reason: 'logout' }, 'server-a');
            await until(() => heard.events.length === 1, 5000, 'event heard');
            assert.deepStrictEqual(heard.events, [{ type: 'closed', key: 'k1', reason: 'logout' }]);

            await redis.kill();
            await until(() => heard.states.some(s => s.startsWith('down')), 5000, 'channel down');
            await redis.restart();
            await until(() => heard.states.filter(s => s === 'up').length === 2, 10000, 'channel up again');
            // The app's own publishing client reconnects by itself (its driver's default).
            let published = false;
            for (let attempt = 0; !published && attempt < 100; attempt++) {
                published = await channelA.publish({ type: 'released', key: 'k2' }, 'server-a').then(() => true, () => false);
                if (!published) await new Promise(resolve => setTimeout(resolve, 100));
            }
            assert.ok(published, 'publishes again once Redis is back');
            await until(() => heard.events.length === 2, 5000, 'event heard after the restart');
            assert.deepStrictEqual(heard.events[1], { type: 'released', key: 'k2' });
        });
    });
}

describe('RedisStore says at construction which clients it does not take', () => {
    const refusals: [string, () => unknown, RegExp][] = [
        ['a URL string as client', () => 'redis://:hunter2@127.0.0.1:6379', /`client` must be a node-redis 4, 5 or 6 client .* or an ioredis client .*got a string \(a URL goes in `url`\)$/],
        ['node-redis 3 (send_command)', () => ({ send_command() {}, connected: true }), /node-redis 3, which is not supported/],
        ['an ioredis Cluster', () => new Cluster([{ host: '127.0.0.1', port: 1 }], { lazyConnect: true }), /does not take an ioredis Cluster/],
        ['a node-redis cluster as client', () => createCluster4({ rootNodes: [{ url: 'redis://127.0.0.1:1' }] }), /pass it as `cluster` instead/],
    ];
    for (const [what, make, message] of refusals) {
        it(`refuses ${what}`, () => {
            const client = make();
            try {
                assert.throws(() => new RedisStore({ client: client as never }), (e: Error) => e instanceof TypeError && message.test(e.message) && e.message.startsWith('tsrpc-session: '));
            } finally {
                (client as { disconnect?(): unknown }).disconnect?.();
            }
        });
    }

    it('tells to connect a node-redis client the app has not connected yet', async () => {
        const client = createRedis4({ url: 'redis://127.0.0.1:1' });
        const store = new RedisStore({ client: client as never });
        await assert.rejects(store.load('k', Date.now()), /not connected: call `await client.connect\(\)` first/);
    });

    it('tells to connect an ioredis client made with lazyConnect', async () => {
        const client = new IORedis('redis://127.0.0.1:1', { lazyConnect: true });
        const store = new RedisStore({ client });
        await assert.rejects(store.load('k', Date.now()), /lazyConnect\): call `await client.connect\(\)` first/);
    });
});
