import assert from 'assert';
import { setTimeout as sleep } from 'timers/promises';
import { CountingStore } from 'tsrpc-session/testing';
import { SessionTestServer, startSessionServer } from '../helpers/sessionServer';
import { TestClient } from '../helpers/transports';
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
        let client: TestClient<ServiceType>['client'];
        beforeEach(async () => {
            shared = await factory.make();
            env = await startSessionServer('http-json', { store: shared.store, touchAfterMs: TOUCH_AFTER_MS });
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
            await sleep(TOUCH_AFTER_MS + 50);
            assert.deepStrictEqual(await countsOf(env.store, () => client.callApi('SessionGetAll', {})), { load: 1, touch: 1 });
        });
    });
}
