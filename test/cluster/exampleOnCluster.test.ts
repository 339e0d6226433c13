import assert from 'assert';
import { ChildProcess, spawn } from 'child_process';
import { once } from 'events';
import { join } from 'path';
import { WsClient } from 'tsrpc';
import { MemoryStorage } from 'tsrpc-session/client';
import { serviceProto, ServiceType } from '../../shared/protocols/serviceProto';
import { TEST_SECRETS } from '../helpers/sessionServer';
import { makeClient, TestClient } from '../helpers/transports';
import { closeWithin } from '../revocation/revocationHelpers';
import { LocalCluster, startLocalCluster } from './localCluster';

const ROOT = join(__dirname, '../..');

interface ExampleProcess {
    child: ChildProcess;
    /** The API as the page calls it (JSON, through the example's web server). */
    api: string;
    /** The example's HTTP and WebSocket API servers themselves, on loopback. */
    http: string;
    ws: string;
}

/** The example as an operator runs it on a cluster: `SESSION_STORE=redis-cluster REDIS_CLUSTER=…`. */
async function startExample(redisCluster: string): Promise<ExampleProcess> {
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'backend/src/index.ts'], {
        cwd: ROOT,
        env: { ...process.env, WEB_PORT: '0', HTTP_PORT: '0', WS_PORT: '0', WEB_ROOT: ROOT, SESSION_SECRETS: TEST_SECRETS.join(','), SESSION_STORE: 'redis-cluster', REDIS_CLUSTER: redisCluster },
        stdio: ['ignore', 'pipe', 'pipe'],
    });
    let text = '';
    child.stdout!.on('data', chunk => { text += chunk; });
    child.stderr!.on('data', chunk => { text += chunk; });
    const [api, http, ws] = await new Promise<string[]>((resolve, reject) => {
        child.stdout!.on('data', () => {
            const found = /Example API: (\S+)\/ and \S+, forwarded to (\S+) and (\S+);/.exec(text);
            if (found) resolve([found[1]!, found[2]!, found[3]!]);
        });
        child.once('exit', code => reject(new Error(`the example exited with ${code}: ${text}`)));
    });
    return { child, api, http: `http://${http}`, ws: `ws://${ws}` };
}

async function login(example: ExampleProcess): Promise<string> {
    const response = await fetch(`${example.api}/Login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'bob', password: 'builder' }) });
    const ret = await response.json() as { isSucc: boolean; res: { __cookie: { sid: { value: string } } } };
    assert.ok(ret.isSucc, JSON.stringify(ret));
    return ret.res.__cookie.sid.value;
}

describe('the example on a Redis Cluster from its environment (SESSION_STORE=redis-cluster, REDIS_CLUSTER)', function () {
    this.timeout(90_000);
    let cluster: LocalCluster | undefined;
    const examples: ExampleProcess[] = [];
    const clients: TestClient<ServiceType>[] = [];
    before(async function () {
        try {
            cluster = await startLocalCluster();
        } catch (e) {
            console.log(`      example-on-cluster test skipped: redis-server could not start in cluster mode here: ${(e as Error).message}`);
            this.skip();
        }
    });
    after(async () => {
        await Promise.all(clients.map(c => c.close()));
        for (const { child } of examples) {
            if (child.exitCode === null) {
                child.kill('SIGTERM');
                await once(child, 'exit');
            }
        }
        await cluster?.stop();
    });

    it('RevokeDevice on one example server closes the device\'s socket on the other within 1 s', async () => {
        const nodes = [0, 1, 2].map(i => `redis://127.0.0.1:${cluster!.basePort + i}`).join(',');
        const [a, b] = await Promise.all([startExample(nodes), startExample(nodes)]);
        examples.push(a, b);
        const [phone, laptop] = [await login(a), await login(b)];
        assert.ok(phone.split('.')[0].endsWith('-') && phone.slice(0, 3) === laptop.slice(0, 3), 'both of bob\'s ids carry his slot tag');

        const socket = await makeClient('ws', b.ws, serviceProto, new MemoryStorage());
        clients.push(socket);
        await socket.jar!.apply({ sid: { value: phone } }, {});
        const me = await socket.client.callApi('GetMe', {});
        assert.strictEqual(me.res?.user?.id, 'u2', JSON.stringify(me));

        const laptopClient = await makeClient('http-binary', a.http, serviceProto, new MemoryStorage());
        clients.push(laptopClient);
        await laptopClient.jar!.apply({ sid: { value: laptop } }, {});
        const listed = await laptopClient.client.callApi('ListDevices', {});
        assert.ok(listed.isSucc, JSON.stringify(listed));
        const closed = closeWithin(socket.client as WsClient<ServiceType>, 1000);
        const revoked = await laptopClient.client.callApi('RevokeDevice', { id: listed.res.devices.find(d => !d.current)!.id });
        assert.ok(revoked.isSucc, JSON.stringify(revoked));
        assert.strictEqual(await closed, 'tsrpc-session: session revoked');
    });
});
