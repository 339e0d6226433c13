import assert from 'assert';
import { SessionOptions } from 'tsrpc-session/server';
import { MemoryStorage } from 'tsrpc-session/client';
import { ExampleTestApp, startExampleApp } from '../helpers/exampleApp';
import { SessionTestServer, startSessionServer } from '../helpers/sessionServer';
import { TestClock } from '../helpers/testClock';
import { makeClient, TestClient } from '../helpers/transports';
import { serviceProto, ServiceType } from '../protocols/serviceProto';
import { SharedStore, STORE_FACTORIES } from './storeFactories';

for (const factory of STORE_FACTORIES) {
    describe(`guarantees through real servers on the ${factory.name} store`, () => {
        let shared: SharedStore;
        /** One clock for every server of a test, as servers share real time. */
        let clock: TestClock;
        const servers: { stop(): Promise<void> }[] = [];
        const clients: TestClient<ServiceType>[] = [];
        beforeEach(async () => {
            shared = await factory.make();
            clock = new TestClock();
        });
        afterEach(async () => {
            await Promise.all(clients.splice(0).map(c => c.close()));
            await Promise.all(servers.splice(0).map(s => s.stop()));
            await shared.cleanup();
        });

        async function server(options: Partial<SessionOptions> = {}, store = shared.store): Promise<SessionTestServer> {
            const started = await startSessionServer('http-json', { now: clock.now, ...options, store });
            servers.push(started);
            return started;
        }

        /** A client of `url` whose jar starts with `sid` (when given): a browser that already holds the cookie. */
        async function clientWith(url: string, sid?: string): Promise<TestClient<ServiceType>> {
            const client = await makeClient('http-json', url, serviceProto, new MemoryStorage());
            clients.push(client);
            if (sid) await client.jar!.apply({ sid: { value: sid } }, {});
            return client;
        }

        async function dataOf(client: TestClient<ServiceType>) {
            const ret = await client.client.callApi('SessionGetAll', {});
            assert.ok(ret.isSucc, JSON.stringify(ret));
            return { id: ret.res.id, data: ret.res.data };
        }

        it('100 parallel calls setting different keys of one session keep all 100', async () => {
            const env = await server();
            const session = await env.client();
            const { client } = session;
            await client.callApi('SessionSet', { key: 'first', value: 0 });
            const rets = await Promise.all(Array.from({ length: 100 }, (_, i) => client.callApi('SessionSet', { key: `k${i}`, value: i })));
            assert.ok(rets.every(r => r.isSucc), JSON.stringify(rets.find(r => !r.isSucc)));
            const { data } = await dataOf(session);
            const expected: Record<string, number> = { first: 0 };
            for (let i = 0; i < 100; i++) expected[`k${i}`] = i;
            assert.deepStrictEqual(data, expected);
        });

        it('20 parallel AddToCart calls with 20 different items leave 20 cart lines', async () => {
            const app: ExampleTestApp = await startExampleApp({ store: shared.store });
            servers.push(app);
            for (const transport of ['http-json', 'ws'] as const) {
                const { client } = await app.client(transport);
                const login = await client.callApi('Login', { username: 'alice', password: 'wonderland' });
                assert.ok(login.isSucc, JSON.stringify(login));
                const items = Array.from({ length: 20 }, (_, i) => `item-${transport}-${i}`);
                const rets = await Promise.all(items.map(item => client.callApi('AddToCart', { item, quantity: 1 })));
                assert.ok(rets.every(r => r.isSucc), JSON.stringify(rets.find(r => !r.isSucc)));
                const cart = await client.callApi('GetCart', {});
                assert.ok(cart.isSucc);
                assert.deepStrictEqual(cart.res.cart.map(line => line.item).sort(), [...items].sort());
                assert.ok(cart.res.cart.every(line => line.quantity === 1));
            }
        });

        it('destroy racing 50 in-flight writes: the old session stays destroyed', async () => {
            const env = await server();
            const { client, jar } = await env.client();
            await client.callApi('SessionSet', { key: 'before', value: 'old data' });
            const oldSid = (await jar!.get('sid'))!;
            const writes = (from: number) => Array.from({ length: 25 }, (_, i) => client.callApi('SessionSet', { key: `w${from + i}`, value: i }));
            const rets = await Promise.all([...writes(0), client.callApi('SessionDestroy', {}), ...writes(25)]);
            assert.ok(rets.every(r => r.isSucc), JSON.stringify(rets.find(r => !r.isSucc)));
            // The old id is dead, and none of its data shows up in whatever session the writes started.
            assert.deepStrictEqual(await dataOf(await clientWith(env.url, oldSid)), { id: undefined, data: {} });
            const current = await jar!.get('sid');
            if (current !== undefined) {
                assert.notStrictEqual(current, oldSid);
                assert.strictEqual((await dataOf(await clientWith(env.url, current))).data.before, undefined);
            }
        });

        it('two servers on one store: a session created through A is read, changed and destroyed through B', async () => {
            const a = await server();
            const b = await server({}, shared.another());
            const viaA = await clientWith(a.url);
            await viaA.client.callApi('SessionSet', { key: 'cart', value: ['tea'] });
            const sid = (await viaA.jar!.get('sid'))!;
            const viaB = await clientWith(b.url, sid);
            assert.deepStrictEqual((await dataOf(viaB)).data, { cart: ['tea'] });
            await viaB.client.callApi('SessionSet', { key: 'theme', value: 'dark' });
            assert.deepStrictEqual((await dataOf(viaA)).data, { cart: ['tea'], theme: 'dark' });
            await viaB.client.callApi('SessionDestroy', {});
            assert.deepStrictEqual(await dataOf(viaA), { id: undefined, data: {} });
        });

        it('idle expiry is judged at load, while the store still holds the record', async () => {
            const longLived = await server();
            const strict = await server({ idleTimeoutMs: 200, touchAfterMs: 0, absoluteTimeoutMs: 60_000 }, shared.another());
            const viaLong = await clientWith(longLived.url);
            await viaLong.client.callApi('SessionSet', { key: 'k', value: 1 });
            const sid = (await viaLong.jar!.get('sid'))!;
            await clock.advance(300);
            assert.deepStrictEqual(await dataOf(await clientWith(strict.url, sid)), { id: undefined, data: {} });
            // The record was still there: the server with the longer idle timeout still reads it.
            assert.deepStrictEqual((await dataOf(await clientWith(longLived.url, sid))).data, { k: 1 });
        });

        it('absolute expiry is judged at load however active the session is', async () => {
            // A keeps the session active (it touches on every call); B allows 600 ms in all.
            const keeper = await server({ touchAfterMs: 0 });
            const strict = await server({ idleTimeoutMs: 500, touchAfterMs: 499, absoluteTimeoutMs: 600 }, shared.another());
            const viaKeeper = await clientWith(keeper.url);
            await viaKeeper.client.callApi('SessionSet', { key: 'k', value: 1 });
            const sid = (await viaKeeper.jar!.get('sid'))!;
            assert.deepStrictEqual((await dataOf(await clientWith(strict.url, sid))).data, { k: 1 });
            for (let i = 0; i < 8; i++) {
                await clock.advance(100);
                assert.deepStrictEqual((await dataOf(viaKeeper)).data, { k: 1 });
            }
            assert.deepStrictEqual(await dataOf(await clientWith(strict.url, sid)), { id: undefined, data: {} });
            assert.deepStrictEqual((await dataOf(viaKeeper)).data, { k: 1 }, 'still stored and live for the other server');
        });
    });
}
