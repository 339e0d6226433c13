import assert from 'assert';
import { execFile } from 'child_process';
import { randomBytes } from 'crypto';
import { promisify } from 'util';
import { MemoryStorage } from 'tsrpc-session/client';
import { RedisStore } from 'tsrpc-session/stores/redis';
import { startSessionServer, SessionTestServer } from '../helpers/sessionServer';
import { startExampleApp } from '../helpers/exampleApp';
import { until } from '../revocation/revocationHelpers';
import { connectCluster, LocalCluster, startLocalCluster } from './localCluster';

const run = promisify(execFile);
const USERS = 600;

/** The keys matching `pattern` on the node at `port`. */
async function keysOn(port: number, pattern: string): Promise<string[]> {
    const { stdout } = await run('redis-cli', ['-p', String(port), '--scan', '--pattern', pattern]);
    return stdout.split('\n').filter(Boolean);
}

/** The ports of the cluster's live masters. */
async function masterPorts(cluster: LocalCluster): Promise<number[]> {
    const { stdout } = await run('redis-cli', ['-p', String(cluster.basePort), 'cluster', 'nodes']);
    return stdout.trim().split('\n').map(line => line.split(' ')).filter(f => f[2].includes('master') && !f[2].includes('fail'))
        .map(f => Number(f[1].split(':')[1].split('@')[0])).sort();
}

describe('RedisStore spreads sessions over a Redis Cluster\'s shards by user', function () {
    this.timeout(60_000);
    let cluster: LocalCluster | undefined;
    const closers: (() => Promise<unknown>)[] = [];
    before(async function () {
        try {
            cluster = await startLocalCluster();
        } catch (e) {
            console.log(`      spread layout suite skipped: redis-server could not start in cluster mode here: ${(e as Error).message}`);
            this.skip();
        }
    });
    afterEach(async () => {
        for (const close of closers.splice(0).reverse()) await close();
    });
    after(async () => { await cluster?.stop(); });

    async function store(options: { prefix: string; legacyPrefix?: string }): Promise<RedisStore> {
        const client = await connectCluster(cluster!.rootUrl);
        const opened = new RedisStore({ cluster: client, ...options });
        closers.push(() => client.close(), () => opened.close());
        return opened;
    }

    async function server(on: RedisStore): Promise<SessionTestServer> {
        const started = await startSessionServer('http-json', { store: on });
        closers.push(() => started.stop());
        return started;
    }

    it(`${USERS} users logged in: each master holds 33 % ± 10 % of the sessions, each next to its user's index`, async () => {
        const prefix = `d-${randomBytes(3).toString('hex')}:`;
        const a = await server(await store({ prefix }));
        const users = Array.from({ length: USERS }, (_, i) => `user-${i}`);
        for (let i = 0; i < users.length; i += 50) {
            await Promise.all(users.slice(i, i + 50).map(async userId => {
                const client = await a.client(new MemoryStorage());
                assert.ok((await client.client.callApi('SessionSet', { key: 'userId', value: userId })).isSucc);
            }));
        }
        const masters = await masterPorts(cluster!);
        const counts = await Promise.all(masters.map(async port => (await keysOn(port, `${prefix}*:s:*`)).length));
        console.log(`      sessions per master ${masters.map((port, i) => `:${port} ${counts[i]} (${(100 * counts[i] / USERS).toFixed(1)} %)`).join(', ')}`);
        assert.strictEqual(counts.reduce((x, y) => x + y), USERS);
        for (const count of counts) assert.ok(Math.abs(count / USERS - 1 / 3) <= 0.1, `${count} of ${USERS}`);
        // A session and its user's set share a slot: both names carry the same hash tag.
        for (const port of masters) {
            for (const name of (await keysOn(port, `${prefix}*:u:*`)).slice(0, 20)) {
                const tag = name.slice(prefix.length, name.indexOf('}') + 1);
                const members = (await run('redis-cli', ['-p', String(port), 'smembers', name])).stdout.trim().split('\n');
                for (const key of members) assert.deepStrictEqual(await keysOn(port, `${prefix}${tag}:s:${key}`), [`${prefix}${tag}:s:${key}`]);
            }
        }
    });

    it('a login on an anonymous session (no regenerate) moves it, data kept, to a new id in the user\'s slot; the old id is dead', async () => {
        const a = await server(await store({ prefix: `m-${randomBytes(3).toString('hex')}:` }));
        const client = await a.client(new MemoryStorage());
        assert.ok((await client.client.callApi('SessionSet', { key: 'cart', value: ['tea'] })).isSucc);
        const anonymous = (await client.jar!.get('sid'))!;
        assert.ok((await client.client.callApi('SessionSet', { key: 'userId', value: 'alice' })).isSucc);
        const loggedIn = (await client.jar!.get('sid'))!;
        assert.notStrictEqual(loggedIn, anonymous);
        const other = await a.client(new MemoryStorage());
        assert.ok((await other.client.callApi('SessionSet', { key: 'userId', value: 'alice' })).isSucc);
        assert.strictEqual((await other.jar!.get('sid'))!.slice(0, 3), loggedIn.slice(0, 3), 'both of alice\'s sessions carry her tag');
        assert.deepStrictEqual((await client.client.callApi('SessionGetAll', {})).res?.data, { cart: ['tea'], userId: 'alice' });
        const stale = await a.client(new MemoryStorage());
        await stale.jar!.apply({ sid: { value: anonymous } }, {});
        assert.deepStrictEqual((await stale.client.callApi('SessionGetAll', {})).res?.data, {});
        assert.strictEqual((await a.plugin.listSessions('alice')).length, 2);
    });

    it('sessions written in the single-tag layout ({sess}:) are read, updated, renewed, listed, revoked and destroyed through the new layout\'s legacyPrefix', async () => {
        const legacyPrefix = `{sess-${randomBytes(3).toString('hex')}}:`;
        const old = await server(await store({ prefix: legacyPrefix }));
        const bob = await old.client(new MemoryStorage());
        assert.ok((await bob.client.callApi('SessionSet', { key: 'userId', value: 'bob' })).isSucc);
        assert.ok((await bob.client.callApi('SessionSet', { key: 'a', value: 1 })).isSucc);
        const visitor = await old.client(new MemoryStorage());
        assert.ok((await visitor.client.callApi('SessionSet', { key: 'cart', value: 2 })).isSucc);
        const [bobSid, visitorSid] = [(await bob.jar!.get('sid'))!, (await visitor.jar!.get('sid'))!];
        assert.ok(!bobSid.split('.')[0].endsWith('-'), 'an id minted the old way');

        const newStore = await store({ prefix: `n-${randomBytes(3).toString('hex')}:`, legacyPrefix });
        const b = await server(newStore);
        const bobOnB = await b.client(new MemoryStorage());
        await bobOnB.jar!.apply({ sid: { value: bobSid } }, {});
        assert.deepStrictEqual((await bobOnB.client.callApi('SessionGetAll', {})).res?.data, { userId: 'bob', a: 1 });
        assert.ok((await bobOnB.client.callApi('SessionSet', { key: 'b', value: 2 })).isSucc);
        assert.deepStrictEqual((await bob.client.callApi('SessionGetAll', {})).res?.data, { userId: 'bob', a: 1, b: 2 }, 'written where the old layout reads it');
        const listed = await newStore.listByUser('bob', Date.now());
        assert.strictEqual(listed.length, 1);

        // A renewal stays in the legacy slot; the successor is found through the new layout.
        const now = Date.now();
        const successor = randomBytes(32).toString('base64url');
        const renewal = { activity: { now, lastSeenAt: now, idleExpiresAt: now + 60_000 }, changes: { set: {}, unset: [] }, pointerExpiresAt: now + 10_000 };
        assert.deepStrictEqual(await newStore.renew(listed[0].key, successor, renewal), { outcome: 'renewed' });
        assert.strictEqual((await newStore.load(successor, now))?.data.b, 2);
        assert.deepStrictEqual((await newStore.listByUser('bob', now)).map(s => s.key), [successor]);

        // An anonymous legacy session that logs in moves into the user's slot.
        const visitorOnB = await b.client(new MemoryStorage());
        await visitorOnB.jar!.apply({ sid: { value: visitorSid } }, {});
        assert.ok((await visitorOnB.client.callApi('SessionSet', { key: 'userId', value: 'bob' })).isSucc);
        const moved = (await visitorOnB.jar!.get('sid'))!;
        assert.ok(moved.split('.')[0].endsWith('-'), 'a tagged id now');
        assert.deepStrictEqual((await visitorOnB.client.callApi('SessionGetAll', {})).res?.data, { cart: 2, userId: 'bob' });
        assert.strictEqual((await newStore.listByUser('bob', Date.now())).length, 2, 'one in each layout');

        assert.strictEqual((await newStore.destroyByUser('bob')).length, 2);
        assert.deepStrictEqual((await bob.client.callApi('SessionGetAll', {})).res?.data, {});
        assert.deepStrictEqual((await visitorOnB.client.callApi('SessionGetAll', {})).res?.data, {});
    });

    it('revocations travel on sharded channels (SSUBSCRIBE on the shards), none on the cluster-wide bus', async () => {
        const prefix = `r-${randomBytes(3).toString('hex')}:`;
        const app = await startExampleApp({ store: await store({ prefix }) });
        closers.push(() => app.stop());
        await until(() => app.app.sessions.revocationChannelState() === 'up');
        const masters = await masterPorts(cluster!);
        const sharded = (await Promise.all(masters.map(async port => (await run('redis-cli', ['-p', String(port), 'pubsub', 'shardchannels', `${prefix}*`])).stdout.trim().split('\n').filter(Boolean)))).flat();
        const plain = (await Promise.all(masters.map(async port => (await run('redis-cli', ['-p', String(port), 'pubsub', 'channels', `${prefix}*`])).stdout.trim().split('\n').filter(Boolean)))).flat();
        assert.strictEqual(sharded.length, 8, sharded.join());
        assert.deepStrictEqual(plain, []);
        const perMaster = await Promise.all(masters.map(async port => (await run('redis-cli', ['-p', String(port), 'pubsub', 'shardchannels', `${prefix}*`])).stdout.trim().split('\n').filter(Boolean).length));
        console.log(`      sharded revocation channels per master: ${perMaster.join(', ')}`);
        assert.ok(perMaster.filter(n => n > 0).length >= 2, 'the channels spread over the shards');
    });
});
