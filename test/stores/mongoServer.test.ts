import assert from 'assert';
import { randomBytes } from 'crypto';
import { MongoClient } from 'mongodb';
import { MongoClient as MongoClient6 } from 'mongodb6';
import { MongoStore } from 'tsrpc-session/stores/mongo';
import type { RevocationEvent, RevocationListener } from '../../backend/src/session/stores/RevocationChannel';
import { until } from '../revocation/revocationHelpers';
import { describeStoreContract } from './contract';
import { recordAt } from './fixtures';
import { MongoStandIn } from './mongoStandIn';

/**
 * What only a real MongoDB server can show (run by `npm run test:mongo`): the revocation channel,
 * the TTL index, a client of mongodb 6, and a store started while MongoDB was unreachable serving
 * once it answers. Skipped, loudly, without MONGODB_URI.
 */
const MONGODB_URI = process.env.MONGODB_URI;

if (MONGODB_URI) {
    describe('MongoDB on MONGODB_URI', function () {
        this.timeout(120_000);
        const dbName = `tsrpc_session_test_${process.pid}_${randomBytes(4).toString('hex')}`;
        const admin = new MongoClient(MONGODB_URI);
        let replicaSet: string | undefined;
        before(async () => {
            await admin.connect();
            const hello = await admin.db('admin').command({ hello: 1 });
            replicaSet = hello.setName;
            const { version } = await admin.db('admin').command({ buildInfo: 1 });
            console.log(`    MongoDB ${version}, ${replicaSet ? `replica set ${replicaSet}` : 'standalone or mongos'}`);
        });
        after(async () => {
            await admin.db(dbName).dropDatabase();
            await admin.close();
        });

        describeStoreContract('MongoStore on a mongodb 6 client', async () => {
            const client = new MongoClient6(MONGODB_URI);
            return {
                store: new MongoStore({ client: client as never, dbName, collectionName: `sessions6_${randomBytes(4).toString('hex')}` }),
                async cleanup() { await client.close(); },
            };
        });

        it('creates TTL indexes on both expiry times, and the server deletes an expired session by itself', async () => {
            const collectionName = `ttl_${randomBytes(4).toString('hex')}`;
            const store = new MongoStore({ uri: MONGODB_URI, dbName, collectionName });
            try {
                const now = Date.now();
                // Expired a minute ago: the TTL monitor (every 60 s) deletes it on its next pass.
                await store.create('expired', recordAt(now - 120_000, { a: 1 }));
                const indexes = await admin.db(dbName).collection(collectionName).indexes();
                for (const field of ['idleExpiresAt', 'absoluteExpiresAt']) {
                    const index = indexes.find(i => Object.keys(i.key).join() === field);
                    assert.strictEqual(index?.expireAfterSeconds, 0, `TTL index on ${field}: ${JSON.stringify(indexes)}`);
                }
                await eventually(async () => await admin.db(dbName).collection(collectionName).countDocuments({ _id: 'expired' as never }) === 0, 110_000, 'the TTL monitor deleting the expired session');
            } finally {
                await store.close();
            }
        });

        it(`carries revocations between two stores (change stream on a replica set, tailable cursor on a standalone)`, async () => {
            const collectionName = `rev_${randomBytes(4).toString('hex')}`;
            const [a, b] = [new MongoStore({ uri: MONGODB_URI, dbName, collectionName }), new MongoStore({ uri: MONGODB_URI, dbName, collectionName })];
            try {
                const heard: RevocationEvent[] = [];
                let up = false;
                const listener: RevocationListener = { event: e => heard.push(e), down: () => { up = false; }, up: () => { up = true; } };
                b.openRevocationChannel()!.subscribe(listener);
                await until(() => up, 20_000, 'channel up');
                const channelA = a.openRevocationChannel()!;
                await channelA.publish({ type: 'closed', key: 'k1', reason: 'logout' }, 'a');
                await channelA.publish({ type: 'rekeyed', key: 'k2', newKey: 'k3' }, 'a');
                await until(() => heard.length === 2, 10_000, 'both events heard');
                assert.deepStrictEqual(heard, [{ type: 'closed', key: 'k1', reason: 'logout' }, { type: 'rekeyed', key: 'k2', newKey: 'k3' }]);
                console.log(`      (delivered by ${replicaSet ? 'a change stream' : 'a tailable cursor'})`);
            } finally {
                await Promise.all([a.close(), b.close()]);
            }
        });

        for (const [driver, makeClient] of [
            ['mongodb 7', (uri: string) => new MongoClient(uri, { serverSelectionTimeoutMS: 500 })],
            ['mongodb 6', (uri: string) => new MongoClient6(uri, { serverSelectionTimeoutMS: 500 }) as never as MongoClient],
        ] as const) {
            it(`a store started while MongoDB was unreachable serves once it answers (${driver})`, async () => {
                const target = await serverAddress(admin);
                const standIn = await MongoStandIn.start();
                const store = new MongoStore({ client: makeClient(standInUri(MONGODB_URI, standIn.port)), dbName, collectionName: `outage_${randomBytes(4).toString('hex')}` });
                try {
                    await assert.rejects(store.load('k', Date.now()), /MongoStore cannot reach MongoDB/);
                    const seen = standIn.connections;
                    await until(() => standIn.connections > seen + 1, 10_000, 'the store trying again');
                    standIn.mode = { forwardTo: target };
                    const record = recordAt(Date.now(), { back: true });
                    await eventually(() => store.create('k', record).then(() => true, () => false), 20_000, 'the store serving');
                    assert.deepStrictEqual(await store.load('k', Date.now()), record);
                } finally {
                    await store.close();
                    await standIn.stop();
                }
            });
        }
    });
} else {
    describe('MongoDB on MONGODB_URI', () => {
        before(function () {
            console.log('    SKIPPED: MongoStore NOT verified against a server (MONGODB_URI is not set; none is faked). Run MONGODB_URI=… npm run test:mongo');
            this.skip();
        });
        it('verifies the revocation channel, the TTL index, mongodb 6 and the start-up outage on a real server', () => {});
    });
}

/** Waits until `condition` resolves true, checking every 200 ms; fails after `timeoutMs`. */
async function eventually(condition: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await condition())) {
        if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
        await new Promise(resolve => setTimeout(resolve, 200));
    }
}

/** The host the stand-in forwards to: the primary of a replica set, else the URI's first host. */
async function serverAddress(client: MongoClient): Promise<{ host: string; port: number }> {
    const hello = await client.db('admin').command({ hello: 1 });
    const address: string = hello.primary ?? hello.me ?? parseUri(MONGODB_URI!).hosts.split(',')[0];
    const [host, port] = address.split(':');
    return { host, port: Number(port ?? 27017) };
}

/** MONGODB_URI with its hosts replaced by the stand-in, connecting directly (no replica set discovery past it). */
function standInUri(uri: string, port: number): string {
    const { scheme, credentials, path, params } = parseUri(uri);
    params.delete('replicaSet');
    params.set('directConnection', 'true');
    if (scheme === 'mongodb+srv' && !params.has('tls') && !params.has('ssl')) params.set('tls', 'true');
    if (scheme === 'mongodb+srv' && !params.has('authSource') && credentials) params.set('authSource', 'admin');
    // TLS passes through the stand-in, whose address is not the certificate's name.
    if (params.get('tls') === 'true' || params.get('ssl') === 'true') params.set('tlsAllowInvalidHostnames', 'true');
    return `mongodb://${credentials ? `${credentials}@` : ''}127.0.0.1:${port}${path || '/'}?${params}`;
}

function parseUri(uri: string) {
    const match = /^(mongodb(?:\+srv)?):\/\/(?:([^@/]*)@)?([^/?]*)(\/[^?]*)?(?:\?(.*))?$/.exec(uri);
    if (!match) throw new Error(`MONGODB_URI is not a mongodb:// or mongodb+srv:// URI`);
    return { scheme: match[1], credentials: match[2], hosts: match[3], path: match[4] ?? '', params: new URLSearchParams(match[5] ?? '') };
}
