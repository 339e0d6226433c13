import assert from 'assert';
import { MemoryStorage } from 'tsrpc-session/client';
import { ExampleTestApp, startExampleApp } from '../helpers/exampleApp';
import { TRANSPORTS } from '../helpers/transports';

const ALICE = { id: 'u1', name: 'Alice' };

for (const transport of TRANSPORTS) {
    describe(`example app over ${transport}`, () => {
        let env: ExampleTestApp;
        beforeEach(async () => { env = await startExampleApp(); });
        afterEach(async () => { await env.stop(); });

        it('logs alice in; GetMe answers her until she logs out', async () => {
            const { client } = await env.client(transport);
            assert.deepStrictEqual(await client.callApi('GetMe', {}), { isSucc: true, res: {} });
            assert.deepStrictEqual(await client.callApi('Login', { username: 'alice', password: 'wonderland' }), { isSucc: true, res: { user: ALICE } });
            assert.deepStrictEqual(await client.callApi('GetMe', {}), { isSucc: true, res: { user: ALICE } });
            assert.deepStrictEqual(await client.callApi('Logout', {}), { isSucc: true, res: {} });
            assert.deepStrictEqual(await client.callApi('GetMe', {}), { isSucc: true, res: {} });
        });

        it('answers a wrong password or an unknown user with BAD_CREDENTIALS and no session', async () => {
            const { client, jar } = await env.client(transport);
            for (const req of [{ username: 'alice', password: 'alice' }, { username: 'mallory', password: 'wonderland' }]) {
                const ret = await client.callApi('Login', req);
                assert.strictEqual(ret.isSucc, false);
                assert.deepStrictEqual(!ret.isSucc && { code: ret.err.code, message: ret.err.message }, { code: 'BAD_CREDENTIALS', message: 'Wrong username or password' });
            }
            assert.deepStrictEqual(await jar!.getAll(), {});
            assert.strictEqual(env.store.counts.create, 0);
        });

        it('keeps a cart without logging in, and through login (ids change, the cart stays)', async () => {
            const { client, jar } = await env.client(transport);
            await client.callApi('AddToCart', { item: 'tea', quantity: 2 });
            await client.callApi('AddToCart', { item: 'scones', quantity: 6 });
            const anonymousSid = await jar!.get('sid');
            const added = await client.callApi('AddToCart', { item: 'tea', quantity: 1 });
            assert.deepStrictEqual(added, { isSucc: true, res: { cart: [{ item: 'tea', quantity: 3 }, { item: 'scones', quantity: 6 }] } });
            await client.callApi('Login', { username: 'alice', password: 'wonderland' });
            assert.notStrictEqual(await jar!.get('sid'), anonymousSid);
            assert.deepStrictEqual(await client.callApi('GetCart', {}), { isSucc: true, res: { cart: [{ item: 'tea', quantity: 3 }, { item: 'scones', quantity: 6 }] } });
        });

        it('rejects a bad cart line with a clear error', async () => {
            const { client } = await env.client(transport);
            const ret = await client.callApi('AddToCart', { item: 'tea', quantity: 0 });
            assert.strictEqual(!ret.isSucc && ret.err.code, 'BAD_QUANTITY');
        });

        it('an id planted before login is dead after it (no fixation)', async () => {
            const { client, jar } = await env.client(transport);
            await client.callApi('AddToCart', { item: 'tea', quantity: 1 });
            const planted = (await jar!.get('sid'))!;
            await client.callApi('Login', { username: 'alice', password: 'wonderland' });
            const attacker = await env.client(transport, null);
            const ret = await attacker.client.callApi('GetMe', { __cookie: { sid: planted } });
            assert.deepStrictEqual(ret, { isSucc: true, res: { __cookie: { sid: { value: null } } } });
        });

        it('a second client on the same storage is logged in too', async () => {
            const storage = new MemoryStorage();
            const first = await env.client(transport, storage);
            await first.client.callApi('Login', { username: 'alice', password: 'wonderland' });
            const second = await env.client(transport, storage);
            assert.deepStrictEqual(await second.client.callApi('GetMe', {}), { isSucc: true, res: { user: ALICE } });
        });
    });
}

describe('example app: one session over HTTP and WebSocket', () => {
    let env: ExampleTestApp;
    before(async () => { env = await startExampleApp(); });
    after(async () => { await env.stop(); });

    it('a session made over HTTP is the same session over WebSocket', async () => {
        const storage = new MemoryStorage();
        const http = await env.client('http-binary', storage);
        await http.client.callApi('Login', { username: 'alice', password: 'wonderland' });
        const sid = await http.jar!.get('sid');
        const ws = await env.client('ws', null);
        assert.deepStrictEqual(await ws.client.callApi('GetMe', { __cookie: { sid: sid! } }), { isSucc: true, res: { user: ALICE } });
    });
});
