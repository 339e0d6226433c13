import assert from 'assert';
import { WsConnection } from 'tsrpc';
import { serviceProto } from '../protocols/serviceProto';
import { RawWsJson } from '../helpers/rawCalls';
import { makeClient, TestClient } from '../helpers/transports';
import { CarrierServers, post, startCarrierServers } from './carrierServers';

/** Issue 13, must show: one session, every carrier. */
describe('one session through the body, a header and WebSocket handshakes (issue 13)', () => {
    let env: CarrierServers;
    let bodyClient: TestClient<any>;
    const sockets: RawWsJson[] = [];
    afterEach(async () => {
        await Promise.all(sockets.splice(0).map(s => s.close()));
        await bodyClient?.close();
        await env.stop();
    });

    it('a body TSRPC client, a header client (fetch), and WebSockets authenticated at the handshake by header and by Cookie share it', async () => {
        env = await startCarrierServers({ carriers: ['body', 'header', 'httpCookie'], httpCookie: { secure: false } });
        bodyClient = await makeClient('http-json', env.httpUrl, serviceProto);
        const login = await bodyClient.client.callApi('SessionSet', { key: 'userId', value: 'alice' });
        assert.ok(login.isSucc);
        const sid = (await bodyClient.jar!.get('sid'))!;
        assert.match(sid, /^[\w-]{43}\.[\w-]{43}$/);

        // The header client (curl, a native app) writes to the same session.
        const viaHeader = await post(env.httpUrl, 'SessionSet', { key: 'cart', value: ['apple'] }, { 'x-session-id': sid });
        assert.strictEqual(viaHeader.body.isSucc, true);
        assert.deepStrictEqual((await bodyClient.client.callApi('SessionGet', { key: 'cart' })).res?.value, ['apple'], 'the body client sees what the header client wrote');

        const cartSoFar = ['apple'];
        for (const headers of [{ 'x-session-id': sid }, { cookie: `theme=dark; sid=${sid}` }] as Record<string, string>[]) {
            const connectionsBefore = new Set(env.ws.connections);
            const socket = await RawWsJson.open(env.wsUrl, { headers });
            sockets.push(socket);
            const conn = env.ws.connections.find(c => !connectionsBefore.has(c)) as WsConnection<any>;
            const bound = env.plugin.sessionOf(conn);
            assert.ok(bound, 'bound at the handshake, before any message');
            assert.strictEqual(await bound.get('userId'), 'alice');
            assert.strictEqual(bound.id, sid.split('.')[0]);

            // Calls without any __cookie: the connection's session.
            const first = await socket.call('SessionGetAll', {});
            assert.deepStrictEqual(first.res.data, { userId: 'alice', cart: cartSoFar }, JSON.stringify(Object.keys(headers)));
            const write = await socket.call('SessionAppend', { key: 'cart', item: Object.keys(headers)[0] });
            cartSoFar.push(Object.keys(headers)[0]);
            assert.strictEqual(write.isSucc, true);
            assert.strictEqual(write.res.__cookie, undefined, 'nothing changed in the cookie: nothing sent');
            assert.strictEqual(write.res.__sessionTicket, undefined);
        }
        const cart = await post(env.httpUrl, 'SessionGet', { key: 'cart' }, { 'x-session-id': sid });
        assert.deepStrictEqual(cart.body.res.value, ['apple', 'x-session-id', 'cookie'], 'every carrier wrote to the one session');
        assert.deepStrictEqual((await bodyClient.client.callApi('SessionGet', { key: 'cart' })).res?.value, ['apple', 'x-session-id', 'cookie']);
    });
});
