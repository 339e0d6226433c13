import assert from 'assert';
import { CountingStore } from 'tsrpc-session/testing';
import { SessionTestServer, startSessionServer } from '../helpers/sessionServer';
import { TestClock } from '../helpers/testClock';
import { TestClient, TRANSPORTS } from '../helpers/transports';
import { ServiceType } from '../protocols/serviceProto';
import { SharedStore, STORE_FACTORIES } from './storeFactories';

const TOUCH_AFTER_MS = 1000;

/** The operations of one call, zero counts left out. */
async function countsOf(store: CountingStore, call: () => Promise<{ isSucc: boolean }>): Promise<Record<string, number>> {
    store.reset();
    assert.ok((await call()).isSucc);
    return Object.fromEntries(Object.entries(store.counts).filter(([, n]) => n > 0));
}

for (const factory of STORE_FACTORIES) {
    describe(`store operations per call on the ${factory.name} store (touchAfterMs ${TOUCH_AFTER_MS})`, () => {
        let shared: SharedStore;
        let env: SessionTestServer;
        let clock: TestClock;
        let client: TestClient<ServiceType>['client'];
        beforeEach(async () => {
            shared = await factory.make();
            clock = new TestClock();
            env = await startSessionServer('http-json', { store: shared.store, touchAfterMs: TOUCH_AFTER_MS, now: clock.now });
            ({ client } = await env.client());
            assert.ok((await client.callApi('SessionSet', { key: 'k', value: 1 })).isSucc);
        });
        afterEach(async () => {
            await env.stop();
            await shared.cleanup();
        });

        it('a call that does not touch the session: none', async () => {
            assert.deepStrictEqual(await countsOf(env.store, () => client.callApi('Ping', {})), {});
        });

        it('the first write of a new client: one create, no load', async () => {
            const { client: newcomer } = await env.client();
            assert.deepStrictEqual(await countsOf(env.store, () => newcomer.callApi('SessionSet', { key: 'k', value: 1 })), { create: 1 });
        });

        it('a session read: one load', async () => {
            assert.deepStrictEqual(await countsOf(env.store, () => client.callApi('SessionGet', { key: 'k' })), { load: 1 });
        });

        it('a one-key write: one update, no load', async () => {
            assert.deepStrictEqual(await countsOf(env.store, () => client.callApi('SessionSet', { key: 'k', value: 2 })), { update: 1 });
        });

        it('an atomic one-key update (session.update): one load and one compareAndSet', async () => {
            assert.deepStrictEqual(await countsOf(env.store, () => client.callApi('SessionAppend', { key: 'list', item: 'x' })), { load: 1, compareAndSet: 1 });
        });

        it('an unchanged read inside touchAfterMs: one load, no touch', async () => {
            assert.deepStrictEqual(await countsOf(env.store, () => client.callApi('SessionGetAll', {})), { load: 1 });
        });

        it('an unchanged read past touchAfterMs: one load and one touch', async () => {
            await clock.advance(TOUCH_AFTER_MS);
            assert.deepStrictEqual(await countsOf(env.store, () => client.callApi('SessionGetAll', {})), { load: 1, touch: 1 });
        });
    });
}

for (const transport of TRANSPORTS) {
    describe(`store operations per call over ${transport}`, () => {
        let env: SessionTestServer;
        beforeEach(async () => { env = await startSessionServer(transport); });
        afterEach(async () => { await env.stop(); });

        it('calls that never touch the session make 0 store operations, with or without a session', async () => {
            const { client } = await env.client();
            assert.deepStrictEqual(await countsOf(env.store, () => client.callApi('Ping', {})), {});
            assert.ok((await client.callApi('SessionSet', { key: 'k', value: 1 })).isSucc);
            assert.deepStrictEqual(await countsOf(env.store, () => client.callApi('Ping', {})), {});
            assert.deepStrictEqual(await countsOf(env.store, () => client.callApi('CookieGetAll', {})), {});
        });

        it('10 parallel first calls of a new client that write nothing create no session and send no cookie', async () => {
            const { client, jar } = await env.client();
            const rets = await Promise.all(Array.from({ length: 10 }, () => client.callApi('SessionGetAll', {})));
            assert.ok(rets.every(r => r.isSucc && r.res.id === undefined && r.res.__cookie === undefined));
            assert.strictEqual(env.store.counts.create, 0);
            assert.deepStrictEqual(await jar!.getAll(), {});
        });
    });
}
