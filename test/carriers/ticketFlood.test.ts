import assert from 'assert';
import { MemoryStore } from 'tsrpc-session/server';
import { RawWsJson } from '../helpers/rawCalls';
import { CarrierServers, post, startCarrierServers } from './carrierServers';

/** Issue 22 item 2: an anonymous flood of a full memory store does not make a pending ticket unredeemable. */
describe('session tickets under an anonymous flood (memory store)', () => {
    let env: CarrierServers;
    let socket: RawWsJson | undefined;
    afterEach(async () => {
        await socket?.close();
        await env.stop();
    });

    it('a ticket issued before 60 anonymous sessions filled a 20-session store is still redeemed, once', async () => {
        env = await startCarrierServers({ carriers: ['httpCookie', 'body'], httpCookie: { secure: false }, store: new MemoryStore({ maxSessions: 20 }) });
        socket = await RawWsJson.open(env.wsUrl, { headers: { origin: `http://${env.wsHost}` } });
        const ticket = (await socket.call('SessionSet', { key: 'userId', value: 'alice' })).res.__sessionTicket as string;
        assert.ok(ticket);
        for (let i = 0; i < 60; i++) {
            const flood = await post(env.httpUrl, 'SessionSet', { key: 'cart', value: i }, { 'sec-fetch-site': 'same-origin' });
            assert.strictEqual(flood.body.isSucc, true);
        }
        const redeemed = await post(env.httpUrl, '__session', { ticket }, { 'sec-fetch-site': 'same-origin' });
        assert.strictEqual(redeemed.status, 200);
        const again = await post(env.httpUrl, '__session', { ticket }, { 'sec-fetch-site': 'same-origin' });
        assert.strictEqual(again.status, 400);
    });
});
