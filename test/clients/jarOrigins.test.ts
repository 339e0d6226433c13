import assert from 'assert';
import { HttpClient, WsClient } from 'tsrpc';
import { enableCookies, MemoryStorage } from 'tsrpc-session/client';
import { serverOrigin } from '../../frontend/src/session/jar/serverOrigin';
import { serviceProto } from '../../shared/protocols/serviceProto';
import { AttackerServer, startAttackerServer } from '../helpers/attackerServer';
import { ExampleTestApp, startExampleApp } from '../helpers/exampleApp';
import { jarStorageKey, RawStorage } from '../helpers/storages';
import { silentLogger } from '../helpers/transports';

const ALICE = { id: 'u1', name: 'Alice' };

/** Issue 12 item 1: a jar never attaches one origin's cookies to a call to another origin. */
describe('cookie jars are scoped to the origin each call goes to', () => {
    let env: ExampleTestApp;
    let attacker: AttackerServer;
    const clients: WsClient<any>[] = [];
    beforeEach(async () => {
        env = await startExampleApp();
        attacker = await startAttackerServer();
    });
    afterEach(async () => {
        await Promise.all(clients.splice(0).map(c => c.disconnect()));
        await env.stop();
        await attacker.stop();
    });

    it('two clients of different origins sharing one storage never see each other\'s cookies', async () => {
        const storage = new RawStorage();
        const cookiesSeenOverWs: unknown[] = [];
        // Ahead of the session plugin, which strips __cookie: what the WebSocket server was sent.
        env.app.ws.flows.preApiCallFlow.nodes.unshift(call => {
            cookiesSeenOverWs.push((call.req as { __cookie?: unknown }).__cookie);
            return call;
        });
        const http = new HttpClient(serviceProto, { server: env.urls.http, logger: silentLogger });
        const ws = new WsClient(serviceProto, { server: env.urls.ws, logger: silentLogger });
        clients.push(ws);
        const httpJar = enableCookies(http, { storage });
        const wsJar = enableCookies(ws, { storage });
        assert.ok((await ws.connect()).isSucc);

        assert.ok((await http.callApi('Login', { username: 'alice', password: 'wonderland' })).isSucc);
        assert.deepStrictEqual(await ws.callApi('GetMe', {}), { isSucc: true, res: {} });
        assert.deepStrictEqual(cookiesSeenOverWs, [undefined]);
        assert.ok((await ws.callApi('Login', { username: 'bob', password: 'builder' })).isSucc);

        const httpSid = await httpJar.get('sid');
        const wsSid = await wsJar.get('sid');
        assert.ok(httpSid && wsSid && httpSid !== wsSid);
        assert.deepStrictEqual(await http.callApi('GetMe', {}), { isSucc: true, res: { user: ALICE } });
        assert.deepStrictEqual([...storage.items.keys()].sort(), [jarStorageKey(new URL(env.urls.http).origin), jarStorageKey(env.urls.ws)]);
    });

    it('a client whose server URL changes never carries the first server\'s cookies to the second', async () => {
        // The binary client reads options.server per call (the JSON one keeps the URL it was made with).
        const http = new HttpClient(serviceProto, { server: env.urls.http, logger: silentLogger });
        const options = http.options as { server: string };
        const jar = enableCookies(http, { storage: new MemoryStorage() });
        assert.ok((await http.callApi('Login', { username: 'alice', password: 'wonderland' })).isSucc);
        const sid = (await jar.get('sid'))!;

        options.server = attacker.httpUrl;
        await http.callApi('GetMe', {});
        assert.strictEqual(attacker.log.requests.length, 1);
        assert.ok(!attacker.received.includes(sid.split('.')[0]), 'the other server received the session id');

        options.server = env.urls.http;
        assert.deepStrictEqual(await http.callApi('GetMe', {}), { isSucc: true, res: { user: ALICE } });
    });

    it('one origin is one jar, however its URL is written', () => {
        assert.strictEqual(serverOrigin('http://127.0.0.1:3000'), 'http://127.0.0.1:3000');
        assert.strictEqual(serverOrigin('HTTP://API.Example.com:80/v1/?x=1#y'), 'http://api.example.com');
        assert.strictEqual(serverOrigin('wss://api.example.com:8443/'), 'wss://api.example.com:8443');
        assert.strictEqual(serverOrigin('ws://[::1]:3001'), 'ws://[::1]:3001');
        // A different port or scheme is another origin.
        assert.notStrictEqual(serverOrigin('http://a.example:3000'), serverOrigin('http://a.example:3001'));
        assert.notStrictEqual(serverOrigin('http://a.example'), serverOrigin('https://a.example'));
        // userinfo cannot make one host pass for another: refused.
        assert.throws(() => serverOrigin('http://api.example.com@evil.example/'), /credentials/);
        assert.throws(() => serverOrigin('https://user:pw@api.example.com:443'), /credentials/);
        assert.strictEqual(serverOrigin('not a url'), 'not a url');
    });
});
