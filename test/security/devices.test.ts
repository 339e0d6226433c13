import assert from 'assert';
import { WsClient } from 'tsrpc';
import { ExampleTestApp, startExampleApp } from '../helpers/exampleApp';
import { Transport } from '../helpers/transports';

const BOB = { username: 'bob', password: 'builder' };

/** Resolves with the reason the server gives when it closes this client's socket. */
function nextDisconnect(client: WsClient<any>): Promise<string | undefined> {
    return new Promise(resolve => {
        client.flows.postDisconnectFlow.push(v => {
            resolve(v.reason);
            return v;
        });
    });
}

for (const transport of ['http-binary', 'http-json', 'ws'] as Transport[]) {
    describe(`device management over ${transport}`, () => {
        let env: ExampleTestApp;
        beforeEach(async () => { env = await startExampleApp(); });
        afterEach(async () => { await env.stop(); });

        it('bob on two clients: ListDevices shows 2, LogoutOthers from one logs the other out at once', async () => {
            const laptop = await env.client(transport);
            const phone = await env.client(transport);
            await laptop.client.callApi('Login', BOB);
            await phone.client.callApi('Login', BOB);
            const phoneClosed = phone.client instanceof WsClient ? nextDisconnect(phone.client) : undefined;

            const listed = await laptop.client.callApi('ListDevices', {});
            assert.ok(listed.isSucc);
            assert.strictEqual(listed.res.devices.length, 2);
            assert.deepStrictEqual(listed.res.devices.map(d => d.current).sort(), [false, true]);
            const sids = [await laptop.jar!.get('sid'), await phone.jar!.get('sid')];
            for (const device of listed.res.devices) {
                assert.match(device.id, /^[A-Za-z0-9_-]{22}$/);
                assert.ok(sids.every(sid => !sid!.includes(device.id)), 'a device handle is never the session id');
                assert.ok(device.createdAt <= device.lastSeenAt);
            }

            assert.deepStrictEqual(await laptop.client.callApi('LogoutOthers', {}), { isSucc: true, res: {} });
            if (phoneClosed) {
                assert.strictEqual(await phoneClosed, 'tsrpc-session: session revoked');
                await (phone.client as WsClient<any>).connect();
            }
            assert.deepStrictEqual(await phone.client.callApi('GetMe', {}), { isSucc: true, res: {} });
            assert.strictEqual(await phone.jar!.get('sid'), undefined);
            const me = await laptop.client.callApi('GetMe', {});
            assert.deepStrictEqual(me.isSucc && me.res.user?.name, 'Bob');
            const after = await laptop.client.callApi('ListDevices', {});
            assert.deepStrictEqual(after.isSucc && after.res.devices.map(d => d.current), [true]);
        });

        it('RevokeDevice ends one session by its handle, and only one of the caller\'s own', async () => {
            const bob1 = await env.client(transport);
            const bob2 = await env.client(transport);
            const alice = await env.client(transport);
            await bob1.client.callApi('Login', BOB);
            await bob2.client.callApi('Login', BOB);
            await alice.client.callApi('Login', { username: 'alice', password: 'wonderland' });
            const listed = await bob1.client.callApi('ListDevices', {});
            const other = listed.isSucc && listed.res.devices.find(d => !d.current)!;
            assert.ok(other);

            const byAlice = await alice.client.callApi('RevokeDevice', { id: other.id });
            assert.strictEqual(!byAlice.isSucc && byAlice.err.code, 'UNKNOWN_DEVICE');
            const unknown = await bob1.client.callApi('RevokeDevice', { id: 'A'.repeat(22) });
            assert.strictEqual(!unknown.isSucc && unknown.err.code, 'UNKNOWN_DEVICE');

            const bob2Closed = bob2.client instanceof WsClient ? nextDisconnect(bob2.client) : undefined;
            assert.deepStrictEqual(await bob1.client.callApi('RevokeDevice', { id: other.id }), { isSucc: true, res: {} });
            if (bob2Closed) {
                assert.strictEqual(await bob2Closed, 'tsrpc-session: session revoked');
                await (bob2.client as WsClient<any>).connect();
            }
            assert.deepStrictEqual(await bob2.client.callApi('GetMe', {}), { isSucc: true, res: {} });
            const stillBob = await bob1.client.callApi('GetMe', {});
            assert.strictEqual(stillBob.isSucc && stillBob.res.user?.id, 'u2');
        });

        it('ListDevices is empty and LogoutOthers refused when not logged in', async () => {
            const anonymous = await env.client(transport);
            assert.deepStrictEqual(await anonymous.client.callApi('ListDevices', {}), { isSucc: true, res: { devices: [] } });
            const ret = await anonymous.client.callApi('LogoutOthers', {});
            assert.strictEqual(!ret.isSucc && ret.err.code, 'NOT_LOGGED_IN');
        });
    });
}

describe('device management across transports', () => {
    let env: ExampleTestApp;
    beforeEach(async () => { env = await startExampleApp(); });
    afterEach(async () => { await env.stop(); });

    it('a logout of other devices over HTTP closes bob\'s WebSocket with a clear reason', async () => {
        const http = await env.client('http-binary');
        const ws = await env.client('ws');
        await ws.client.callApi('Login', BOB);
        await http.client.callApi('Login', BOB);
        const closed = nextDisconnect(ws.client as WsClient<any>);
        await http.client.callApi('LogoutOthers', {});
        assert.strictEqual(await closed, 'tsrpc-session: session revoked');
    });

    it('a logout over HTTP closes the WebSockets bound to that session, not the caller\'s own', async () => {
        const ws = await env.client('ws');
        await ws.client.callApi('Login', BOB);
        const sid = (await ws.jar!.get('sid'))!;
        const closed = nextDisconnect(ws.client as WsClient<any>);
        const http = await env.client('http-binary', null);
        await http.client.callApi('Logout', { __cookie: { sid } });
        assert.strictEqual(await closed, 'tsrpc-session: session ended');
    });

    it('plugin.listSessions and revokeSessions serve admin tools', async () => {
        const a = await env.client('http-binary');
        const b = await env.client('ws');
        await a.client.callApi('Login', BOB);
        await b.client.callApi('Login', BOB);
        const plugin = env.app.sessions;
        const sessions = await plugin.listSessions('u2');
        assert.strictEqual(sessions.length, 2);
        assert.ok(sessions.every(s => !s.current));
        assert.strictEqual(await plugin.revokeSessions('u2', { except: sessions[0].handle }), 1);
        assert.deepStrictEqual((await plugin.listSessions('u2')).map(s => s.handle), [sessions[0].handle]);
    });
});
