import assert from 'assert';
import { randomBytes } from 'crypto';
import { SessionErrorCode } from 'tsrpc-session/server';
import { RedisStore } from 'tsrpc-session/stores/redis';
import { MemoryStorage } from 'tsrpc-session/client';
import { startSessionServer } from '../helpers/sessionServer';
import { makeClient } from '../helpers/transports';
import { serviceProto } from '../protocols/serviceProto';
import { describeStoreContract } from 'tsrpc-session/stores';
import { describeGuarantees } from '../stores/guarantees';
import { StoreFactory } from '../stores/storeFactories';
import { startExampleApp } from '../helpers/exampleApp';
import { revokeSocketAcross, until } from '../revocation/revocationHelpers';
import { connectCluster, LocalCluster, startLocalCluster } from './localCluster';
import { runWriters, WriterLog } from './writers';

const BOB = { username: 'bob', password: 'builder' };

/**
 * What a test's store needs: a cluster client of its own (closed with it) and a prefix of its own,
 * without a hash tag: sessions spread over the shards by their users (the layout under test).
 */
export async function clusterStore(cluster: LocalCluster, prefix = `t-${randomBytes(4).toString('hex')}:`, legacyPrefix?: string) {
    const client = await connectCluster(cluster.rootUrl);
    const store = new RedisStore({ cluster: client, prefix, ...(legacyPrefix && { legacyPrefix }) });
    return {
        store,
        prefix,
        async close() {
            await store.close();
            await client.close();
        },
    };
}

describe('RedisStore on a local Redis Cluster: 3 masters with 1 replica each, through node-redis\' cluster client, sessions spread by user', function () {
    let cluster: LocalCluster | undefined;
    before(async function () {
        this.timeout(60_000);
        try {
            cluster = await startLocalCluster();
        } catch (e) {
            console.log(`      Redis Cluster suite skipped: redis-server could not start in cluster mode here: ${(e as Error).message}`);
            this.skip();
        }
    });
    after(async () => { await cluster?.stop(); });

    describeStoreContract('RedisStore on a Redis Cluster', async () => {
        const opened = await clusterStore(cluster!);
        return { store: opened.store, cleanup: opened.close };
    });

    const factory: StoreFactory = {
        name: 'Redis Cluster',
        async make() {
            const first = await clusterStore(cluster!);
            // What a second server process would open: a cluster client of its own, on the same prefix.
            const second = await clusterStore(cluster!, first.prefix);
            return {
                store: first.store,
                another: () => second.store,
                async cleanup() {
                    await Promise.all([first.close(), second.close()]);
                },
            };
        },
    };
    describeGuarantees(factory);

    describe('revocation channel (sharded pub/sub: SPUBLISH reaches the subscribers on the channel\'s shard)', () => {
        it('RevokeDevice on server A closes the socket bound on server B within 1 s', async () => {
            const stores = await Promise.all([clusterStore(cluster!, 'shop:'), clusterStore(cluster!, 'shop:')]);
            const [a, b] = await Promise.all(stores.map(s => startExampleApp({ store: s.store })));
            try {
                await until(() => [a, b].every(app => app.app.sessions.revocationChannelState() === 'up'));
                assert.strictEqual(await revokeSocketAcross(a, b, BOB), 'tsrpc-session: session revoked');
            } finally {
                await Promise.all([a.stop(), b.stop()]);
                await Promise.all(stores.map(s => s.close()));
            }
        });
    });

    describe('failover', () => {
        it('a master killed mid-test: calls fail with SESSION_STORE_UNAVAILABLE for the failover window only, then succeed; acknowledged writes lost are measured', async function () {
            this.timeout(60_000);
            const { store, close } = await clusterStore(cluster!);
            const server = await startSessionServer('http-json', { store, storeTimeoutMs: 2000 });
            const clients = await Promise.all(Array.from({ length: 8 }, () => makeClient('http-json', server.url, serviceProto, new MemoryStorage())));
            try {
                // Sessions spread: the master killed is the one holding the first writer's session.
                let slot = -1;
                let victim = 0;
                let killedAt = 0;
                let promotedAt = 0;
                const logs: WriterLog[] = await runWriters(clients.map(c => c.client), async elapsed => {
                    if (killedAt === 0 && elapsed() > 500) {
                        const sid = await clients[0].jar!.get('sid');
                        slot = await cluster!.slotOf(`{${sid!.slice(0, 3)}}`);
                        victim = await cluster!.masterOf(slot);
                        killedAt = Date.now();
                        await cluster!.kill(victim);
                    }
                    if (killedAt !== 0 && promotedAt === 0) {
                        const survivor = victim === cluster!.basePort ? cluster!.basePort + 1 : cluster!.basePort;
                        const master = await cluster!.masterOf(slot, survivor).catch(() => victim);
                        if (master !== victim) promotedAt = Date.now();
                    }
                    // Stop 2 s after the slot has a new master (or give up 20 s after the kill).
                    return (promotedAt !== 0 && Date.now() - promotedAt > 2000) || (killedAt !== 0 && Date.now() - killedAt > 20_000);
                });

                assert.ok(promotedAt !== 0, 'a replica took over the slot');
                const failures = logs.flatMap(l => l.failures);
                assert.ok(failures.length > 0, 'calls to the killed master failed');
                for (const f of failures) assert.strictEqual(f.code, SessionErrorCode.StoreUnavailable, JSON.stringify(f));
                const lastFailure = Math.max(...failures.map(f => f.at));
                assert.ok(failures.every(f => f.at >= killedAt), 'nothing failed before the kill');
                for (const log of logs) assert.ok(log.acked.some(a => a.at > lastFailure), 'every writer succeeds again after the window');

                // Which acknowledged writes the promoted replica never received.
                let lost = 0;
                let acked = 0;
                for (const [i, log] of logs.entries()) {
                    const ret = await clients[i].client.callApi('SessionGetAll', {});
                    assert.ok(ret.isSucc, JSON.stringify(ret));
                    const data = ret.res.data as Record<string, number>;
                    acked += log.acked.length;
                    lost += log.acked.filter(a => data[`k${a.seq}`] !== a.seq).length;
                }
                console.log(`      failover: slot ${slot} on :${victim} killed; replica promoted after ${promotedAt - killedAt} ms; calls failed (${failures.length}, all ${SessionErrorCode.StoreUnavailable}) for ${lastFailure - killedAt} ms after the kill; failures per writer ${logs.map(l => l.failures.length).join(', ')}; ${lost} of ${acked} acknowledged writes lost`);
            } finally {
                await Promise.all(clients.map(c => c.close()));
                await server.stop();
                await close();
            }
        });
    });
});
