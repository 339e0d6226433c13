import assert from 'assert';
import { SessionTestServer, startSessionServer } from '../helpers/sessionServer';
import { postJson } from '../helpers/rawCalls';
import { TRANSPORTS } from '../helpers/transports';

for (const transport of TRANSPORTS) {
    describe(`app cookie limits over ${transport}`, () => {
        let env: SessionTestServer;
        beforeEach(async () => { env = await startSessionServer(transport, { maxCookies: 3, maxCookieBytes: 64 }); });
        afterEach(async () => { await env.stop(); });

        it('drops incoming cookies past maxCookies and maxCookieBytes, and invalid names', async () => {
            const { client } = await env.client(null);
            const __cookie = { a: '1', 'bad name': 'x', b: '2', c: '3', d: '4' };
            const ret = await client.callApi('CookieGetAll', { __cookie });
            assert.deepStrictEqual(ret.isSucc && ret.res.cookies, { a: '1', b: '2', c: '3' });
            const big = await client.callApi('CookieGetAll', { __cookie: { a: 'x'.repeat(40), b: 'y'.repeat(40) } });
            assert.deepStrictEqual(big.isSucc && big.res.cookies, { a: 'x'.repeat(40) });
        });

        it('a handler setting a cookie past the limits gets a clear error', async () => {
            const { client } = await env.client(null);
            const ret = await client.callApi('CookieSet', { name: 'big', value: 'z'.repeat(100) });
            assert.strictEqual(!ret.isSucc && ret.err.code, 'INTERNAL_ERR');
            const invalid = await client.callApi('CookieSet', { name: '__proto__', value: 'x' });
            assert.strictEqual(!invalid.isSucc && invalid.err.code, 'INTERNAL_ERR');
        });
    });
}

describe('prototype names in raw JSON cookies', () => {
    let env: SessionTestServer;
    before(async () => { env = await startSessionServer('http-json'); });
    after(async () => { await env.stop(); });

    it('never reach an object as keys', async () => {
        const body = '{"__cookie":{"__proto__":"polluted","constructor":"x","prototype":"y","ok":"1"}}';
        const ret = await postJson(env.url, 'CookieGetAll', body);
        assert.deepStrictEqual(ret, { isSucc: true, res: { cookies: { ok: '1' } } });
        assert.strictEqual(({} as Record<string, unknown>).polluted, undefined);
        assert.strictEqual(Object.prototype.toString.call({}), '[object Object]');
    });
});
