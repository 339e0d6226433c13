import assert from 'assert';
import { MemoryStore, SessionAuditEvent, SessionStore } from 'tsrpc-session/server';
import { KoaStoreAdapter, SummerStorageAdapter } from 'tsrpc-session/stores';
import { ExampleTestApp, startExampleApp } from '../helpers/exampleApp';
import { silentLogger, Transport } from '../helpers/transports';
import { mapKoaStore, mapSummerStorage } from '../stores/adapterBackends';
import { STORE_FACTORIES } from '../stores/storeFactories';

const ALICE = { username: 'alice', password: 'wonderland' };
const BOB = { username: 'bob', password: 'builder' };
const PER_USER = 3;
const LOGINS = 30;

const STORES: { name: string; make(): Promise<{ store: SessionStore; cleanup(): Promise<void> }> }[] = [
    // Room for 10 sessions: alice's 30 logins would fill it three times over.
    { name: 'memory', async make() { return { store: new MemoryStore({ maxSessions: 10 }), async cleanup() {} }; } },
    // Redis, and MongoDB when MONGODB_URI is set (storeFactories says when it is skipped).
    ...STORE_FACTORIES.filter(f => f.name !== 'memory'),
    { name: 'SummerStorageAdapter', async make() { const b = mapSummerStorage(); return { store: new SummerStorageAdapter(b.storage), cleanup: async () => b.close() }; } },
    { name: 'KoaStoreAdapter', async make() { const b = mapKoaStore(); return { store: new KoaStoreAdapter(b.storage), cleanup: async () => b.close() }; } },
];

/** Issue 22 item 2: one account logging in over and over evicts its own sessions, never another user's. */
for (const { name, make } of STORES) {
    for (const transport of ['http-json', 'ws'] as Transport[]) {
        describe(`sessions per user (${name}, ${transport})`, () => {
            let env: ExampleTestApp;
            let cleanup: () => Promise<void>;
            const events: SessionAuditEvent[] = [];
            beforeEach(async () => {
                events.length = 0;
                const made = await make();
                cleanup = made.cleanup;
                env = await startExampleApp({ store: made.store, maxSessionsPerUser: PER_USER, onAudit: e => void events.push(e) }, silentLogger, { login: { maxPendingPerKey: 100 } });
            });
            afterEach(async () => {
                await env.stop();
                await cleanup();
            });

            it(`keeps bob's session and cart while alice logs in ${LOGINS} times; alice keeps her ${PER_USER} most recent`, async () => {
                const { client: bob } = await env.client(transport);
                assert.ok((await bob.callApi('Login', BOB)).isSucc);
                assert.ok((await bob.callApi('AddToCart', { item: 'apple', quantity: 2 })).isSucc);
                const alices = [];
                for (let i = 0; i < LOGINS; i++) {
                    const alice = await env.client(transport);
                    assert.ok((await alice.client.callApi('Login', ALICE)).isSucc);
                    alices.push(alice);
                }
                assert.deepStrictEqual((await bob.callApi('GetCart', {})).res?.cart, [{ item: 'apple', quantity: 2 }]);
                assert.deepStrictEqual((await bob.callApi('GetMe', {})).res?.user?.id, 'u2');
                assert.strictEqual((await env.app.sessions.listSessions('u1')).length, PER_USER);
                const stillIn = await Promise.all(alices.map(async a => (await a.client.callApi('GetMe', {})).res?.user?.id));
                assert.deepStrictEqual(stillIn, [...Array(LOGINS - PER_USER).fill(undefined), ...Array(PER_USER).fill('u1')]);
                const evicted = events.filter(e => e.type === 'evicted');
                assert.strictEqual(evicted.length, LOGINS - PER_USER);
                assert.ok(evicted.every(e => e.userId === 'u1'));
            });
        });
    }
}

describe('sessions per user: the WebSocket of an evicted session', () => {
    let env: ExampleTestApp;
    afterEach(async () => { await env.stop(); });

    it('is closed as on a revoke', async () => {
        env = await startExampleApp({ maxSessionsPerUser: 1 });
        const first = await env.client('ws');
        assert.ok((await first.client.callApi('Login', ALICE)).isSucc);
        const closed = new Promise<string>(ok => (first.client as import('tsrpc').WsClient<any>).flows.postDisconnectFlow.push(v => { ok(String(v.reason)); return v; }));
        const second = await env.client('http-json');
        assert.ok((await second.client.callApi('Login', ALICE)).isSucc);
        assert.match(await closed, /revoked/i);
    });
});

describe('MemoryStore eviction order', () => {
    const record = (now: number, extra: object = {}) => ({ v: 2, data: {}, createdAt: now, lastSeenAt: now, idleExpiresAt: now + 60_000, absoluteExpiresAt: now + 60_000, ...extra });

    it('evicts the user holding the most sessions first, not the least recently used', async () => {
        const store = new MemoryStore({ maxSessions: 10 });
        await store.create('bob', record(1, { userId: 'bob' }));
        for (let i = 0; i < 20; i++) await store.create(`alice${i}`, record(2 + i, { userId: 'alice' }));
        assert.ok(await store.load('bob', 100), 'bob, the least recently used, stays');
        assert.strictEqual((await store.listByUser('alice', 100)).length, 9);
    });

    it('keeps a session ticket\'s one-time marker through an anonymous flood', async () => {
        const store = new MemoryStore({ maxSessions: 10 });
        await store.create('marker', record(1, { marker: true }));
        for (let i = 0; i < 100; i++) await store.create(`anon${i}`, record(2 + i));
        assert.strictEqual(await store.compareAndSet('marker', 'redeemed', undefined, true, { now: 200, lastSeenAt: 200, idleExpiresAt: 30_000 }), 'ok');
    });
});
