import assert from 'assert';
import { SessionErrorCode, SessionOptions } from 'tsrpc-session/server';
import { RawWsJson } from '../helpers/rawCalls';
import { RedisStore } from 'tsrpc-session/stores/redis';
import { makeRedisStore, REDIS_URL } from '../stores/redisHelpers';
import { CarrierServers, post, sessionSetCookie, startCarrierServers } from './carrierServers';

const OPTIONS: Partial<SessionOptions> = { carriers: ['httpCookie', 'body'], httpCookie: { secure: false } };

describe('session tickets: login and logout over a WebSocket in httpCookie mode (issue 13)', () => {
    let env: CarrierServers;
    const sockets: RawWsJson[] = [];
    /** A same-origin browser's upgrade: Origin equal to Host, with its cookie when it has one. */
    const browserSocket = async (cookie?: string) => {
        const socket = await RawWsJson.open(env.wsUrl, { headers: { origin: `http://${env.wsHost}`, ...(cookie && { cookie }) } });
        sockets.push(socket);
        return socket;
    };
    const redeem = (ticket: unknown, headers: Record<string, string> = { 'sec-fetch-site': 'same-origin' }, target = env) =>
        post(target.httpUrl, '__session', { ticket }, headers);
    afterEach(async () => {
        await Promise.all(sockets.splice(0).map(s => s.close()));
        await env.stop();
    });

    it('a login over the socket answers a ticket, never the id; the exchange turns it into the HttpOnly cookie, once', async () => {
        env = await startCarrierServers(OPTIONS);
        const socket = await browserSocket();
        const login = await socket.call('SessionRegenerate', { keepData: false });
        assert.strictEqual(login.isSucc, true);
        await socket.call('SessionSet', { key: 'userId', value: 'alice' }).then(r => assert.ok(r.res.__sessionTicket));
        const ticket = (await socket.call('SessionRegenerate', { keepData: true })).res.__sessionTicket as string;
        const sessionId = (await socket.call('SessionGetAll', {})).res.id as string;
        assert.ok(!JSON.stringify(login).includes(sessionId) && !ticket.includes(sessionId));
        assert.strictEqual(login.res.__cookie, undefined);

        const exchanged = await redeem(ticket);
        assert.strictEqual(exchanged.status, 200);
        assert.deepStrictEqual(exchanged.body, { isSucc: true });
        const cookie = sessionSetCookie(exchanged)!;
        assert.strictEqual(cookie.value.split('.')[0], sessionId);
        assert.ok(cookie.attributes.has('httponly'));
        assert.strictEqual(cookie.attributes.get('max-age'), String(24 * 60 * 60));
        const onHttp = await post(env.httpUrl, 'SessionGet', { key: 'userId' }, { cookie: `sid=${cookie.value}`, 'sec-fetch-site': 'same-origin' });
        assert.strictEqual(onHttp.body.res.value, 'alice', 'the cookie names the session');

        const again = await redeem(ticket);
        assert.strictEqual(again.status, 400);
        assert.strictEqual(again.body.err!.code, SessionErrorCode.TicketInvalid);
        assert.deepStrictEqual(again.headers.getSetCookie(), []);
    });

    it('a ticket expires after 30 seconds on the plugin clock; forged and malformed ones are refused', async () => {
        env = await startCarrierServers(OPTIONS);
        const socket = await browserSocket();
        const early = (await socket.call('SessionSet', { key: 'userId', value: 'bob' })).res.__sessionTicket;
        const late = (await socket.call('SessionRegenerate', { keepData: true })).res.__sessionTicket;
        await env.clock.advance(29_000);
        assert.strictEqual((await redeem(early)).status, 200);
        await env.clock.advance(2_000);
        const expired = await redeem(late);
        assert.strictEqual(expired.status, 400);
        assert.strictEqual(expired.body.err!.code, SessionErrorCode.TicketInvalid);

        const flipped = `${late.slice(0, 20)}${late[20] === 'A' ? 'B' : 'A'}${late.slice(21)}`;
        for (const bad of [flipped, '', 'x'.repeat(10_000), 42, null, { ticket: late }]) {
            const ret = await redeem(bad);
            assert.strictEqual(ret.status, 400, JSON.stringify(bad).slice(0, 40));
            assert.strictEqual(ret.body.err!.code, SessionErrorCode.TicketInvalid);
        }
        const notJson = await fetch(`${env.httpUrl}/__session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"ticket":' });
        assert.strictEqual(notJson.status, 400);
        const get = await fetch(`${env.httpUrl}/__session`);
        assert.strictEqual(get.status, 405);
    });

    it('a logout over the socket answers a clearing ticket; the socket is anonymous after it', async () => {
        env = await startCarrierServers(OPTIONS);
        const sid = sessionSetCookie(await post(env.httpUrl, 'SessionSet', { key: 'userId', value: 'carol' }, { 'sec-fetch-site': 'same-origin' }))!.value;
        const socket = await browserSocket(`sid=${sid}`);
        assert.deepStrictEqual((await socket.call('SessionGetAll', {})).res.data, { userId: 'carol' }, 'authenticated by its cookie');
        const logout = await socket.call('SessionDestroy', {});
        assert.strictEqual(logout.res.__cookie, undefined);
        const cleared = sessionSetCookie(await redeem(logout.res.__sessionTicket))!;
        assert.strictEqual(cleared.value, '');
        assert.strictEqual(cleared.attributes.get('max-age'), '0');
        assert.deepStrictEqual((await socket.call('SessionGetAll', {})).res.data, {});
    });

    it('a stale cookie in the handshake: the first answer over the socket carries a clearing ticket', async () => {
        env = await startCarrierServers(OPTIONS);
        const sid = sessionSetCookie(await post(env.httpUrl, 'SessionSet', { key: 'userId', value: 'erin' }, { 'sec-fetch-site': 'same-origin' }))!.value;
        await post(env.httpUrl, 'SessionDestroy', {}, { cookie: `sid=${sid}` });
        const socket = await browserSocket(`sid=${sid}`);
        const first = await socket.call('SessionGetAll', {});
        assert.deepStrictEqual(first.res.data, {});
        assert.strictEqual(sessionSetCookie(await redeem(first.res.__sessionTicket))!.attributes.get('max-age'), '0');
        assert.strictEqual((await socket.call('SessionGetAll', {})).res.__sessionTicket, undefined, 'told once');
    });

    it('a cross-site redemption is refused', async () => {
        env = await startCarrierServers(OPTIONS);
        const socket = await browserSocket();
        const ticket = (await socket.call('SessionSet', { key: 'userId', value: 'frank' })).res.__sessionTicket;
        const refused = await redeem(ticket, { origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' });
        assert.strictEqual(refused.status, 403);
        assert.strictEqual(refused.body.err!.code, SessionErrorCode.CrossSiteRequest);
        assert.deepStrictEqual(refused.headers.getSetCookie(), []);
        assert.strictEqual((await redeem(ticket)).status, 200, 'the refused attempt did not use it up');
    });

    describe('on servers sharing a RedisStore', () => {
        let other: CarrierServers;
        const cleanups: (() => Promise<void>)[] = [];
        afterEach(async () => {
            await other?.stop();
            await Promise.all(cleanups.splice(0).map(cleanup => cleanup()));
        });

        it('a ticket issued on one server is redeemed on another, once across both', async () => {
            const first = await makeRedisStore('tickets');
            const second = new RedisStore({ url: REDIS_URL, prefix: first.prefix });
            cleanups.push(() => second.close(), first.cleanup);
            env = await startCarrierServers({ ...OPTIONS, store: first.store });
            other = await startCarrierServers({ ...OPTIONS, store: second });
            const socket = await browserSocket();
            const ticket = (await socket.call('SessionSet', { key: 'userId', value: 'grace' })).res.__sessionTicket;
            const onOther = await redeem(ticket, undefined, other);
            assert.strictEqual(onOther.status, 200);
            const sid = sessionSetCookie(onOther)!.value;
            assert.strictEqual((await post(other.httpUrl, 'SessionGet', { key: 'userId' }, { cookie: `sid=${sid}` })).body.res.value, 'grace');
            const replayHere = await redeem(ticket);
            assert.strictEqual(replayHere.status, 400, 'one-time across servers');
            assert.strictEqual((await redeem(ticket, undefined, other)).status, 400);
        });
    });
});
