import assert from 'assert';
import { SessionTestServer, startSessionServer } from '../helpers/sessionServer';
import { TestClock } from '../helpers/testClock';
import { TRANSPORTS } from '../helpers/transports';

for (const transport of TRANSPORTS) {
    describe(`app cookies over ${transport}`, () => {
        let env: SessionTestServer;
        beforeEach(async () => { env = await startSessionServer(transport); });
        afterEach(async () => { await env.stop(); });

        it('keeps a cookie the server set and sends it on the next call', async () => {
            const { client, jar } = await env.client();
            assert.deepStrictEqual(await client.callApi('CookieSet', { name: 'theme', value: 'dark' }), { isSucc: true, res: {} });
            assert.strictEqual(await jar!.get('theme'), 'dark');
            const ret = await client.callApi('CookieGetAll', {});
            assert.deepStrictEqual(ret.isSucc && ret.res.cookies, { theme: 'dark' });
        });

        it('stops sending a cookie the server cleared', async () => {
            const { client, jar } = await env.client();
            await client.callApi('CookieSet', { name: 'theme', value: 'dark' });
            await client.callApi('CookieSet', { name: 'lang', value: 'en' });
            await client.callApi('CookieClear', { name: 'theme' });
            assert.strictEqual(await jar!.get('theme'), undefined);
            const ret = await client.callApi('CookieGetAll', {});
            assert.deepStrictEqual(ret.isSucc && ret.res.cookies, { lang: 'en' });
        });

        it('stops sending a cookie once its maxAge has passed on the client\'s clock', async () => {
            const clock = new TestClock();
            const { client, jar } = await env.client(undefined, { now: clock.now });
            await client.callApi('CookieSet', { name: 'flash', value: 'saved', maxAgeMs: 150 });
            await clock.advance(149);
            const before = await client.callApi('CookieGetAll', {});
            assert.deepStrictEqual(before.isSucc && before.res.cookies, { flash: 'saved' });
            await clock.advance(1);
            assert.strictEqual(await jar!.get('flash'), undefined);
            const after = await client.callApi('CookieGetAll', {});
            assert.deepStrictEqual(after.isSucc && after.res.cookies, {});
        });

        it('does not mutate the request object the caller passed', async () => {
            const { client } = await env.client();
            await client.callApi('CookieSet', { name: 'theme', value: 'dark' });
            const req = { name: 'lang', value: 'en' };
            await client.callApi('CookieSet', req);
            assert.deepStrictEqual(req, { name: 'lang', value: 'en' });
        });

        it('never shows the session cookie to handlers through call.cookie', async () => {
            const { client, jar } = await env.client();
            await client.callApi('SessionSet', { key: 'k', value: 1 });
            assert.ok(await jar!.get('sid'));
            const ret = await client.callApi('CookieGetAll', {});
            assert.deepStrictEqual(ret.isSucc && ret.res.cookies, {});
        });

        it('refuses to let a handler set the session cookie as an app cookie', async () => {
            const { client, jar } = await env.client();
            const ret = await client.callApi('CookieSet', { name: 'sid', value: 'forged' });
            assert.strictEqual(ret.isSucc, false);
            assert.strictEqual(await jar!.get('sid'), undefined);
        });
    });
}
