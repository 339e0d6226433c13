import assert from 'assert';
import { SessionTestServer, startSessionServer } from '../helpers/sessionServer';
import { TRANSPORTS } from '../helpers/transports';

const FORGED_SID = `${'A'.repeat(43)}.${'B'.repeat(43)}`;
const CLEAR_SID = { sid: { value: null } };

for (const transport of TRANSPORTS) {
    describe(`calls that never touch a stored session, over ${transport}`, () => {
        let env: SessionTestServer;
        beforeEach(async () => { env = await startSessionServer(transport); });
        afterEach(async () => { await env.stop(); });

        it('a sid that fails verification makes 0 store operations, reading the session or not, and is told to clear it', async () => {
            const { client } = await env.client(null);
            assert.deepStrictEqual(await client.callApi('Ping', { __cookie: { sid: FORGED_SID } }), { isSucc: true, res: { __cookie: CLEAR_SID } });
            assert.deepStrictEqual(await client.callApi('SessionGet', { key: 'k', __cookie: { sid: FORGED_SID } }), { isSucc: true, res: { __cookie: CLEAR_SID } });
            // The clear rides along with the app cookies the handler set.
            assert.deepStrictEqual(await client.callApi('CookieSet', { name: 'theme', value: 'dark', __cookie: { sid: FORGED_SID } }),
                { isSucc: true, res: { __cookie: { sid: { value: null }, theme: { value: 'dark' } } } });
            assert.strictEqual(env.store.total, 0);
        });

        it('a call that only sets an app cookie answers it without any store operation', async () => {
            const { client } = await env.client(null);
            assert.deepStrictEqual(await client.callApi('CookieSet', { name: 'theme', value: 'dark', maxAgeMs: 1000 }),
                { isSucc: true, res: { __cookie: { theme: { value: 'dark', maxAgeMs: 1000 } } } });
            assert.strictEqual(env.store.total, 0);
        });
    });
}
