import assert from 'assert';
import { CarrierServers, post, sessionSetCookie, startCarrierServers } from './carrierServers';

/** Two sessions, each logged in through one carrier; returns their signed ids. */
async function twoSessions(env: CarrierServers): Promise<{ bodySid: string; headerSid: string }> {
    const viaBody = await post(env.httpUrl, 'SessionSet', { key: 'who', value: 'body-user', __cookie: { sid: 'x' } });
    const bodySid = viaBody.body.res.__cookie.sid.value as string;
    const headerSid = (await post(env.httpUrl, 'SessionSet', { key: 'who', value: 'header-user' }, { 'x-session-id': 'x' })).headers.get('x-session-id')!;
    return { bodySid, headerSid };
}

describe('carrier precedence (issue 13)', () => {
    let env: CarrierServers;
    afterEach(async () => { await env.stop(); });

    it('the first carrier in `carriers` that is present decides, whichever order', async () => {
        env = await startCarrierServers({ carriers: ['header', 'body', 'httpCookie'], httpCookie: { secure: false } });
        // A login presenting a junk value in one carrier gets its new session back through that carrier only.
        const first = await post(env.httpUrl, 'SessionSet', { key: 'who', value: 'body-user', __cookie: { sid: 'junk' } });
        const bodySid = first.body.res.__cookie.sid.value as string;
        const headerLogin = await post(env.httpUrl, 'SessionSet', { key: 'who', value: 'header-user' }, { 'x-session-id': 'junk' });
        const headerSid = headerLogin.headers.get('x-session-id')!;
        assert.match(headerSid, /^[\w-]{43}\.[\w-]{43}$/);
        assert.notStrictEqual(bodySid, headerSid);

        const both = await post(env.httpUrl, 'SessionGet', { key: 'who', __cookie: { sid: bodySid } }, { 'x-session-id': headerSid, cookie: `sid=${bodySid}` });
        assert.strictEqual(both.body.res.value, 'header-user', 'header listed first wins over body and cookie');
        const noHeader = await post(env.httpUrl, 'SessionGet', { key: 'who', __cookie: { sid: headerSid } }, { cookie: `sid=${bodySid}` });
        assert.strictEqual(noHeader.body.res.value, 'header-user', 'body listed second wins over the cookie');
        const cookieOnly = await post(env.httpUrl, 'SessionGet', { key: 'who' }, { cookie: `sid=${bodySid}` });
        assert.strictEqual(cookieOnly.body.res.value, 'body-user', 'the cookie alone is used');
    });

    it('body first: the body session wins over a header carrying another one', async () => {
        env = await startCarrierServers({ carriers: ['body', 'header'] });
        const { bodySid, headerSid } = await twoSessions(env);
        const both = await post(env.httpUrl, 'SessionGet', { key: 'who', __cookie: { sid: bodySid } }, { 'x-session-id': headerSid });
        assert.strictEqual(both.body.res.value, 'body-user');
        assert.strictEqual(both.headers.get('x-session-id'), null, 'the header is not told anything');
    });

    it('an invalid value in the winning carrier: anonymous, no fallback, and only that carrier is told to drop it', async () => {
        env = await startCarrierServers({ carriers: ['header', 'body'] });
        const { bodySid, headerSid } = await twoSessions(env);
        const tampered = `${headerSid.slice(0, -1)}${headerSid.endsWith('A') ? 'B' : 'A'}`;
        const ret = await post(env.httpUrl, 'SessionGetAll', { __cookie: { sid: bodySid } }, { 'x-session-id': tampered });
        assert.deepStrictEqual(ret.body.res.data, {}, 'no fallback to the valid body session');
        assert.strictEqual(ret.body.res.id, undefined);
        assert.strictEqual(ret.headers.get('x-session-id'), '', 'the header carrier is told to drop it');
        assert.strictEqual(ret.body.res.__cookie, undefined, 'the body session is left alone');
        const still = await post(env.httpUrl, 'SessionGet', { key: 'who', __cookie: { sid: bodySid } });
        assert.strictEqual(still.body.res.value, 'body-user');
    });

    it('a carrier not in `carriers` is ignored entirely', async () => {
        env = await startCarrierServers({ carriers: ['httpCookie'], httpCookie: { secure: false } });
        const login = await post(env.httpUrl, 'SessionSet', { key: 'who', value: 'cookie-user' });
        const sid = sessionSetCookie(login)!.value;
        const viaBody = await post(env.httpUrl, 'SessionGet', { key: 'who', __cookie: { sid } });
        assert.strictEqual(viaBody.body.res.value, undefined, 'the body is no carrier here');
        assert.strictEqual(viaBody.body.res.__cookie, undefined);
        const viaHeader = await post(env.httpUrl, 'SessionGet', { key: 'who' }, { 'x-session-id': sid });
        assert.strictEqual(viaHeader.body.res.value, undefined, 'nor the header');
        const viaCookie = await post(env.httpUrl, 'SessionGet', { key: 'who' }, { cookie: `sid=${sid}` });
        assert.strictEqual(viaCookie.body.res.value, 'cookie-user');
    });

    it('default carriers: the body only; the Cookie and session headers are ignored, and no CSRF check runs', async () => {
        env = await startCarrierServers({});
        const sid = (await post(env.httpUrl, 'SessionSet', { key: 'who', value: 'body-user' })).body.res.__cookie.sid.value;
        const viaHeaders = await post(env.httpUrl, 'SessionGet', { key: 'who' }, { cookie: `sid=${sid}`, 'x-session-id': sid, origin: 'http://evil.example' });
        assert.strictEqual(viaHeaders.status, 200);
        assert.strictEqual(viaHeaders.body.res.value, undefined);
        assert.deepStrictEqual(viaHeaders.headers.getSetCookie(), []);
        assert.strictEqual(viaHeaders.headers.get('x-session-id'), null);
        assert.strictEqual((await post(env.httpUrl, 'SessionGet', { key: 'who', __cookie: { sid } })).body.res.value, 'body-user');
    });
});
