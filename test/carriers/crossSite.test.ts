import assert from 'assert';
import { SessionErrorCode } from 'tsrpc-session/server';
import { CapturingLogger } from '../helpers/capturingLogger';
import { CarrierServers, post, sessionSetCookie, startCarrierServers } from './carrierServers';

describe('CSRF check of carrier httpCookie (issue 13)', () => {
    let env: CarrierServers;
    let logger: CapturingLogger;
    let sid: string;
    beforeEach(async () => {
        logger = new CapturingLogger();
        env = await startCarrierServers({ carriers: ['httpCookie', 'body'], httpCookie: { secure: false, trustedOrigins: ['https://app.example'] } }, logger);
        sid = sessionSetCookie(await post(env.httpUrl, 'SessionSet', { key: 'balance', value: 100 }, { 'sec-fetch-site': 'same-origin' }))!.value;
        env.store.reset();
    });
    afterEach(async () => { await env.stop(); });

    for (const [name, headers] of Object.entries<Record<string, string>>({
        'a foreign Origin': { origin: 'http://evil.example' },
        'Sec-Fetch-Site: cross-site': { 'sec-fetch-site': 'cross-site' },
        'Sec-Fetch-Site: same-site': { 'sec-fetch-site': 'same-site', origin: 'http://sub.127.0.0.1' },
        'Origin: null': { origin: 'null' },
        'Origin: null with Sec-Fetch-Site: same-origin': { origin: 'null', 'sec-fetch-site': 'same-origin' },
    })) {
        it(`refuses ${name}: 403 CROSS_SITE_REQUEST, handler not run, store untouched, no Set-Cookie`, async () => {
            for (const api of ['SessionSet', 'SessionDestroy', 'SessionRegenerate']) {
                const ret = await post(env.httpUrl, api, { key: 'balance', value: 0, keepData: false }, { ...headers, cookie: `sid=${sid}` });
                assert.strictEqual(ret.status, 403, api);
                assert.strictEqual(ret.body.isSucc, false);
                assert.strictEqual(ret.body.err!.code, SessionErrorCode.CrossSiteRequest);
                assert.deepStrictEqual(ret.headers.getSetCookie(), []);
            }
            // Login CSRF too: a cookieless call from another site is refused.
            const login = await post(env.httpUrl, 'SessionSet', { key: 'userId', value: 'attacker' }, headers);
            assert.strictEqual(login.status, 403);
            assert.strictEqual(env.store.total, 0, 'no store operation at all');
            const check = await post(env.httpUrl, 'SessionGet', { key: 'balance' }, { cookie: `sid=${sid}` });
            assert.strictEqual(check.body.res.value, 100, 'the session is unchanged');
            assert.match(logger.text, /\[CrossSiteRefused\]/);
        });
    }

    it('allows same-origin requests, trusted origins, Sec-Fetch-Site: none, and clients that send no Origin (curl)', async () => {
        for (const headers of [
            { 'sec-fetch-site': 'same-origin' },
            { 'sec-fetch-site': 'none' },
            { origin: `http://${env.httpHost}` },
            { origin: 'https://app.example', 'sec-fetch-site': 'cross-site' },
            {},
        ] as Record<string, string>[]) {
            const ret = await post(env.httpUrl, 'SessionUnset', { key: 'nothing' }, { ...headers, cookie: `sid=${sid}` });
            assert.strictEqual(ret.status, 200, JSON.stringify(headers));
            assert.strictEqual(ret.body.isSucc, true);
        }
    });

    it('a trusted origin may call, but gets its session in the body: it is not the API\'s own origin', async () => {
        const login = await post(env.httpUrl, 'SessionSet', { key: 'userId', value: 'u1' }, { origin: 'https://app.example', 'sec-fetch-site': 'cross-site' });
        assert.strictEqual(login.status, 200);
        assert.strictEqual(sessionSetCookie(login), undefined, 'no HttpOnly cookie it could not send back');
        assert.strictEqual(typeof login.body.res.__cookie?.sid?.value, 'string');
    });

    it('the ticket exchange endpoint is checked too', async () => {
        const ret = await post(env.httpUrl, '__session', { ticket: 'whatever' }, { origin: 'http://evil.example' });
        assert.strictEqual(ret.status, 403);
        assert.strictEqual(ret.body.err!.code, SessionErrorCode.CrossSiteRequest);
    });
});
