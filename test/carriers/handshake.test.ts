import assert from 'assert';
import { WsConnection } from 'tsrpc';
import { RawWsJson } from '../helpers/rawCalls';
import { CarrierServers, post, startCarrierServers } from './carrierServers';

describe('WebSocket handshake authentication and connection mode (issue 13)', () => {
    let env: CarrierServers;
    let sid: string;
    const sockets: RawWsJson[] = [];
    const open = async (headers: Record<string, string>) => {
        const before = new Set(env.ws.connections);
        const socket = await RawWsJson.open(env.wsUrl, { headers });
        sockets.push(socket);
        return { socket, conn: env.ws.connections.find(c => !before.has(c)) as WsConnection<any> | undefined };
    };
    beforeEach(async () => {
        env = await startCarrierServers({ carriers: ['body', 'header', 'httpCookie'], httpCookie: { secure: false } });
        sid = (await post(env.httpUrl, 'SessionSet', { key: 'userId', value: 'alice' })).body.res.__cookie.sid.value;
    });
    afterEach(async () => {
        await Promise.all(sockets.splice(0).map(s => s.close()));
        await env.stop();
    });

    it('a socket without a session in its handshake behaves as before: a call without __cookie has no session, even after a login over it', async () => {
        const { socket } = await open({});
        assert.deepStrictEqual((await socket.call('SessionGetAll', {})).res.data, {});
        const login = await socket.call('SessionSet', { key: 'userId', value: 'bob' });
        assert.ok(login.res.__cookie.sid.value, 'the new session goes back in the body');
        assert.strictEqual(login.res.__sessionTicket, undefined);
        assert.deepStrictEqual((await socket.call('SessionGetAll', {})).res.data, {}, 'not in connection mode: body only');
        assert.deepStrictEqual((await socket.call('SessionGetAll', { __cookie: { sid } })).res.data, { userId: 'alice' });
    });

    it('logout over a socket authenticated at its handshake: the next call is anonymous', async () => {
        const { socket, conn } = await open({ 'x-session-id': sid });
        assert.deepStrictEqual((await socket.call('SessionGetAll', {})).res.data, { userId: 'alice' });
        const logout = await socket.call('SessionDestroy', {});
        assert.strictEqual(logout.isSucc, true);
        assert.deepStrictEqual(logout.res.__cookie, { sid: { value: null } }, 'a header-authenticated socket hears of it in the body');
        assert.strictEqual(env.plugin.sessionOf(conn!), undefined, 'unbound');
        assert.deepStrictEqual((await socket.call('SessionGetAll', {})).res.data, {});
        assert.deepStrictEqual((await post(env.httpUrl, 'SessionGetAll', {}, { 'x-session-id': sid })).body.res.data, {}, 'and the session is gone');
    });

    it('regenerate over it rebinds the socket to the new id; a per-call session outranks the connection, and the socket follows it', async () => {
        const { socket, conn } = await open({ 'x-session-id': sid });
        const regenerated = await socket.call('SessionRegenerate', { keepData: true });
        const newSid = regenerated.res.__cookie.sid.value as string;
        assert.strictEqual(newSid.split('.')[0], regenerated.res.id);
        assert.strictEqual(env.plugin.sessionOf(conn!)!.id === undefined, true, 'not read yet');
        assert.deepStrictEqual((await socket.call('SessionGetAll', {})).res, { id: regenerated.res.id, data: { userId: 'alice' } });
        assert.deepStrictEqual((await post(env.httpUrl, 'SessionGetAll', {}, { 'x-session-id': sid })).body.res.data, {}, 'the old id is dead');

        const other = (await post(env.httpUrl, 'SessionSet', { key: 'userId', value: 'carol' })).body.res.__cookie.sid.value;
        assert.deepStrictEqual((await socket.call('SessionGetAll', { __cookie: { sid: other } })).res.data, { userId: 'carol' });
        assert.deepStrictEqual((await socket.call('SessionGetAll', {})).res.data, { userId: 'carol' }, 'a socket is bound to the session of its last call, as before');
    });

    it('an invalid handshake value binds nothing; a cookieless socket of a same-origin browser is in connection mode', async () => {
        const { socket, conn } = await open({ 'x-session-id': `${sid.slice(0, -1)}${sid.endsWith('A') ? 'B' : 'A'}` });
        assert.strictEqual(env.plugin.sessionOf(conn!), undefined);
        assert.deepStrictEqual((await socket.call('SessionGetAll', {})).res.data, {});

        const browser = await open({ origin: `http://${env.wsHost}` });
        const login = await browser.socket.call('SessionSet', { key: 'userId', value: 'dave' });
        assert.strictEqual(login.res.__cookie, undefined, 'the id never goes to a page over the socket');
        assert.match(login.res.__sessionTicket, /^[\w-]+$/);
        assert.deepStrictEqual((await browser.socket.call('SessionGetAll', {})).res.data, { userId: 'dave' }, 'bound by the login');
    });

    it('a cross-site upgrade carrying the session cookie is closed with 1008 before any call runs', async () => {
        env.store.reset();
        const { socket } = await open({ cookie: `sid=${sid}`, origin: 'http://evil.example' });
        const ret = await socket.call('SessionDestroy', {});
        assert.strictEqual(ret.isSucc, false);
        assert.strictEqual(ret.err!.code, 'CLOSED');
        assert.strictEqual(socket.closeCode, 1008);
        assert.strictEqual(socket.closeReason, 'tsrpc-session: cross-site WebSocket refused');
        assert.strictEqual(env.store.total, 0, 'no call touched the store');
        assert.deepStrictEqual((await post(env.httpUrl, 'SessionGetAll', {}, { 'x-session-id': sid })).body.res.data, { userId: 'alice' });

        const crossSiteWithoutCookie = await open({ origin: 'http://evil.example' });
        assert.deepStrictEqual((await crossSiteWithoutCookie.socket.call('SessionGetAll', {})).res.data, {}, 'no cookie: open, and no session');
    });
});
