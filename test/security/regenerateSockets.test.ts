import assert from 'assert';
import { BaseConnection, WsServer } from 'tsrpc';
import { MemoryStorage } from 'tsrpc-session/client';
import { SessionTestServer, startSessionServer } from '../helpers/sessionServer';
import { makeClient, TestClient } from '../helpers/transports';
import { serviceProto, ServiceType } from '../protocols/serviceProto';

describe('regenerate() and the WebSockets bound to the old id', () => {
    let env: SessionTestServer;
    const clients: TestClient<ServiceType>[] = [];
    beforeEach(async () => { env = await startSessionServer('ws'); });
    afterEach(async () => {
        await Promise.all(clients.splice(0).map(c => c.close()));
        await env.stop();
    });

    const connections = () => [...(env.server as WsServer<ServiceType>).connections] as BaseConnection[];

    async function connect(sid?: string): Promise<TestClient<ServiceType>> {
        const client = await makeClient('ws', env.url, serviceProto, new MemoryStorage());
        clients.push(client);
        if (sid !== undefined) await client.jar!.apply({ sid: { value: sid } }, {});
        return client;
    }

    it('an attacker socket that planted the pre-login id does not read the victim\'s session after the victim logs in', async () => {
        const attacker = await connect();
        await attacker.client.callApi('SessionSet', { key: 'cart', value: ['bait'] });
        const [attackerConn] = connections();
        const planted = (await attacker.jar!.get('sid'))!;

        const victim = await connect(planted);
        assert.deepStrictEqual(await victim.client.callApi('SessionRegenerate', {}).then(r => r.isSucc), true);
        assert.deepStrictEqual(await victim.client.callApi('SessionSet', { key: 'userId', value: 'victim' }), { isSucc: true, res: {} });
        const victimConn = connections().find(conn => conn !== attackerConn)!;

        assert.strictEqual(await env.plugin.sessionOf(victimConn)?.get('userId'), 'victim', 'the calling connection follows its session');
        const attackerView = env.plugin.sessionOf(attackerConn);
        assert.strictEqual(await attackerView?.get('userId'), undefined, 'the attacker\'s socket reads no user');
        assert.strictEqual(attackerView, undefined, 'the attacker\'s socket is unbound');
        const attackerCall = await attacker.client.callApi('SessionGet', { key: 'userId' });
        assert.deepStrictEqual(attackerCall, { isSucc: true, res: {} }, 'the socket still works and reads no user');
        assert.strictEqual(await attacker.jar!.get('sid'), undefined, 'the planted id is dead: the attacker\'s jar is told to drop it');
    });

    it('sessionOf() hands message handlers a session without regenerate() or destroy()', async () => {
        const client = await connect();
        await client.client.callApi('SessionSet', { key: 'room', value: 'lobby' });
        const bound = env.plugin.sessionOf(connections()[0]);
        assert.ok(bound);
        assert.strictEqual(await bound.get('room'), 'lobby');
        // Checked by the compiler: the narrower type has no way to change the id or end the session.
        // @ts-expect-error regenerate is not offered to message handlers
        assert.strictEqual(bound.regenerate, undefined);
        // @ts-expect-error destroy is not offered to message handlers
        assert.strictEqual(bound.destroy, undefined);
    });
});
