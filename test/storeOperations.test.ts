import assert from 'assert';
import { SessionTestServer, startSessionServer } from './helpers/sessionServer';
import { TRANSPORTS } from './helpers/transports';

for (const transport of TRANSPORTS) {
    describe(`store operations per call over ${transport}`, () => {
        let env: SessionTestServer;
        beforeEach(async () => { env = await startSessionServer(transport, { touchAfterMs: 60_000 }); });
        afterEach(async () => { await env.stop(); });

        it('a call that never touches the session makes 0 store operations, with or without a session', async () => {
            const { client } = await env.client();
            await client.callApi('Ping', {});
            assert.strictEqual(env.store.total, 0);
            await client.callApi('SessionSet', { key: 'k', value: 1 });
            env.store.reset();
            await client.callApi('Ping', {});
            await client.callApi('CookieGetAll', {});
            assert.deepStrictEqual(env.store.total, 0);
        });

        it('a read is one load; a one-key write to an existing session is one update and no load', async () => {
            const { client } = await env.client();
            await client.callApi('SessionSet', { key: 'k', value: 1 });
            assert.deepStrictEqual(nonZero(env.store.counts), { create: 1 });
            env.store.reset();
            await client.callApi('SessionGet', { key: 'k' });
            assert.deepStrictEqual(nonZero(env.store.counts), { load: 1 });
            env.store.reset();
            await client.callApi('SessionSet', { key: 'k', value: 2 });
            assert.deepStrictEqual(nonZero(env.store.counts), { update: 1 });
        });

        it('a call with a sid that fails verification makes 0 store operations, reading the session or not, and is told to clear it', async () => {
            const { client } = await env.client(null);
            const forged = `${'A'.repeat(43)}.${'B'.repeat(43)}`;
            const clearSid = { sid: { value: null } };
            assert.deepStrictEqual(await client.callApi('Ping', { __cookie: { sid: forged } }), { isSucc: true, res: { __cookie: clearSid } });
            assert.deepStrictEqual(await client.callApi('SessionGet', { key: 'k', __cookie: { sid: forged } }), { isSucc: true, res: { __cookie: clearSid } });
            // The clear rides along with the app cookies the handler set.
            assert.deepStrictEqual(await client.callApi('CookieSet', { name: 'theme', value: 'dark', __cookie: { sid: forged } }),
                { isSucc: true, res: { __cookie: { sid: { value: null }, theme: { value: 'dark' } } } });
            assert.strictEqual(env.store.total, 0);
        });

        it('a call that only sets an app cookie answers it without any store operation', async () => {
            const { client } = await env.client(null);
            assert.deepStrictEqual(await client.callApi('CookieSet', { name: 'theme', value: 'dark', maxAgeMs: 1000 }),
                { isSucc: true, res: { __cookie: { theme: { value: 'dark', maxAgeMs: 1000 } } } });
            assert.strictEqual(env.store.total, 0);
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

function nonZero(counts: Record<string, number>): Record<string, number> {
    return Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0));
}
