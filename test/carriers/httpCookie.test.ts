import assert from 'assert';
import { CarrierServers, post, sessionSetCookie, startCarrierServers } from './carrierServers';

const MINUTE = 60_000;

describe('carrier httpCookie on an HttpServer (issue 13)', () => {
    let env: CarrierServers;
    afterEach(async () => { await env.stop(); });

    it('sets an HttpOnly cookie with Secure, SameSite, Path, Max-Age and Expires on the plugin clock; it comes back and finds the session', async () => {
        env = await startCarrierServers({ carriers: ['httpCookie'], absoluteTimeoutMs: 60 * MINUTE, idleTimeoutMs: 10 * MINUTE });
        const login = await post(env.httpUrl, 'SessionSet', { key: 'userId', value: 'alice' });
        assert.strictEqual(sessionSetCookie(login), undefined, 'a Secure cookie is never named sid');
        const cookie = sessionSetCookie(login, '__Host-sid')!;
        assert.match(cookie.value, /^[\w-]{43}\.[\w-]{43}$/);
        assert.deepStrictEqual([...cookie.attributes.keys()].sort(), ['expires', 'httponly', 'max-age', 'path', 'samesite', 'secure']);
        assert.strictEqual(cookie.attributes.get('path'), '/');
        assert.strictEqual(cookie.attributes.get('samesite'), 'Lax');
        assert.strictEqual(cookie.attributes.get('max-age'), String(60 * 60), 'the absolute lifetime, as the body cookie has it');
        assert.strictEqual(cookie.attributes.get('expires'), new Date(env.clock.now() + 60 * MINUTE).toUTCString());
        assert.strictEqual(login.body.res.__cookie, undefined, 'never in the body');

        await env.clock.advance(5 * MINUTE);
        const back = await post(env.httpUrl, 'SessionGet', { key: 'userId' }, { cookie: `theme=dark; __Host-sid=${cookie.value}; other=1` });
        assert.strictEqual(back.body.res.value, 'alice');
        assert.strictEqual(sessionSetCookie(back, '__Host-sid'), undefined, 'nothing changed, nothing sent');

        const renewed = await post(env.httpUrl, 'SessionRegenerate', { keepData: true }, { cookie: `__Host-sid=${cookie.value}` });
        assert.strictEqual(renewed.headers.getSetCookie().length, 1, 'a __Host- cookie has one place: nothing to sweep');
        const next = sessionSetCookie(renewed, '__Host-sid')!;
        assert.notStrictEqual(next.value, cookie.value);
        assert.strictEqual(next.attributes.get('max-age'), String(60 * 60), 'a regenerated session starts its lifetime again');
        assert.strictEqual(next.attributes.get('expires'), new Date(env.clock.now() + 60 * MINUTE).toUTCString());
    });

    it('rolling: Max-Age follows the idle timeout; secure: false, SameSite=Strict, a path and a domain as configured', async () => {
        env = await startCarrierServers({
            carriers: ['httpCookie'], rolling: true, idleTimeoutMs: 10 * MINUTE, touchAfterMs: 0,
            httpCookie: { secure: false, sameSite: 'Strict', path: '/api', domain: 'example.test' },
        });
        const login = await post(env.httpUrl, 'SessionSet', { key: 'userId', value: 'bob' });
        const cookie = sessionSetCookie(login)!;
        assert.deepStrictEqual(Object.fromEntries(cookie.attributes), {
            path: '/api', domain: 'example.test', 'max-age': '600', expires: new Date(env.clock.now() + 10 * MINUTE).toUTCString(), httponly: '', samesite: 'Strict',
        });
        await env.clock.advance(4 * MINUTE);
        const touched = await post(env.httpUrl, 'SessionTouch', {}, { cookie: `sid=${cookie.value}` });
        assert.strictEqual(sessionSetCookie(touched)!.attributes.get('expires'), new Date(env.clock.now() + 10 * MINUTE).toUTCString());
    });

    it('logout clears the cookie with Max-Age=0; a tampered cookie is cleared too and grants nothing', async () => {
        env = await startCarrierServers({ carriers: ['httpCookie'], httpCookie: { secure: false } });
        const sid = sessionSetCookie(await post(env.httpUrl, 'SessionSet', { key: 'userId', value: 'carol' }))!.value;
        const logout = await post(env.httpUrl, 'SessionDestroy', {}, { cookie: `sid=${sid}` });
        const cleared = sessionSetCookie(logout)!;
        assert.strictEqual(cleared.value, '');
        assert.strictEqual(cleared.attributes.get('max-age'), '0');
        const after = await post(env.httpUrl, 'SessionGetAll', {}, { cookie: `sid=${sid}` });
        assert.deepStrictEqual(after.body.res.data, {});
        assert.strictEqual(sessionSetCookie(after)!.attributes.get('max-age'), '0', 'an unknown id is dropped');

        const tampered = await post(env.httpUrl, 'SessionGetAll', {}, { cookie: `sid="${sid.slice(0, -2)}xx"` });
        assert.deepStrictEqual(tampered.body.res.data, {});
        assert.strictEqual(sessionSetCookie(tampered)!.attributes.get('max-age'), '0');
    });

    it('app cookies still ride in the body, readable by the page; only the session cookie is an HTTP cookie', async () => {
        env = await startCarrierServers({ carriers: ['httpCookie'], httpCookie: { secure: false } });
        const set = await post(env.httpUrl, 'CookieSet', { name: 'theme', value: 'dark' });
        assert.deepStrictEqual(set.body.res.__cookie, { theme: { value: 'dark' } });
        assert.deepStrictEqual(set.headers.getSetCookie(), []);
        const all = await post(env.httpUrl, 'CookieGetAll', { __cookie: { theme: 'dark', sid: 'not-an-app-cookie' } }, { cookie: 'theme=light' });
        assert.deepStrictEqual(all.body.res.cookies, { theme: 'dark' }, 'app cookies come from the body, never the Cookie header; the sid is no app cookie');
    });

    it('a same-origin browser login gets the id only as an HttpOnly cookie, never in the body or a header', async () => {
        env = await startCarrierServers({ carriers: ['body', 'header', 'httpCookie'], httpCookie: { secure: false } });
        for (const browser of [{ 'sec-fetch-site': 'same-origin' }, { origin: `http://${env.httpHost}` }] as Record<string, string>[]) {
            const login = await post(env.httpUrl, 'SessionSet', { key: 'userId', value: 'dave' }, browser);
            assert.strictEqual(login.body.res.__cookie, undefined, JSON.stringify(browser));
            assert.strictEqual(login.headers.get('x-session-id'), null);
            const sid = sessionSetCookie(login)!.value;
            const back = await post(env.httpUrl, 'SessionGet', { key: 'userId' }, { ...browser, cookie: `sid=${sid}` });
            assert.strictEqual(back.body.res.value, 'dave');
        }
        const curl = await post(env.httpUrl, 'SessionSet', { key: 'userId', value: 'erin' });
        assert.ok(curl.body.res.__cookie.sid.value, 'a client that is no browser gets the body');
        assert.strictEqual(curl.headers.get('x-session-id'), curl.body.res.__cookie.sid.value, 'and the header');
        assert.strictEqual(sessionSetCookie(curl), undefined);
    });
});
