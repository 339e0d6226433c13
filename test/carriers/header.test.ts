import assert from 'assert';
import { CarrierServers, post, startCarrierServers } from './carrierServers';

describe('carrier header with plain fetch (issue 13)', () => {
    let env: CarrierServers;
    afterEach(async () => { await env.stop(); });

    it('login answers the id in the response header; the next call with it finds the session; a cleared session answers an empty header', async () => {
        env = await startCarrierServers({ carriers: ['header'], sessionHeader: 'X-Auth-Session' });
        const login = await post(env.httpUrl, 'SessionSet', { key: 'userId', value: 'native-app' });
        const sid = login.headers.get('x-auth-session')!;
        assert.match(sid, /^[\w-]{43}\.[\w-]{43}$/);
        assert.strictEqual(login.body.res.__cookie, undefined);
        assert.deepStrictEqual(login.headers.getSetCookie(), []);

        const next = await post(env.httpUrl, 'SessionGet', { key: 'userId' }, { 'x-auth-session': sid });
        assert.strictEqual(next.body.res.value, 'native-app');
        assert.strictEqual(next.headers.get('x-auth-session'), null, 'unchanged: no header');

        const logout = await post(env.httpUrl, 'SessionDestroy', {}, { 'x-auth-session': sid });
        assert.strictEqual(logout.headers.get('x-auth-session'), '');
        const after = await post(env.httpUrl, 'SessionGetAll', {}, { 'x-auth-session': sid });
        assert.deepStrictEqual(after.body.res.data, {});
        assert.strictEqual(after.headers.get('x-auth-session'), '');
    });
});
