import assert from 'assert';
import { mkdtemp, rm } from 'fs/promises';
import { tmpdir } from 'os';
import { join } from 'path';
import WebSocket from 'ws';
import { RunningExample, startExample } from '../../backend/src/index';
import { TEST_SECRETS } from '../helpers/sessionServer';
import { makeClient, silentLogger, TestClient } from '../helpers/transports';
import { serviceProto, ServiceType } from '../../shared/protocols/serviceProto';

/** Opens a WebSocket from `localAddress`; resolves with the open socket or the refusal's message. */
function open(url: string, localAddress: string, headers: Record<string, string> = {}): Promise<WebSocket | string> {
    return new Promise(ok => {
        const socket = new WebSocket(url, { localAddress, headers });
        socket.once('open', () => ok(socket));
        socket.once('error', e => ok(e.message));
    });
}

/** Issue 22: the example takes its flood limits from its environment. */
describe('the example\'s limits from its environment', () => {
    let webRoot: string;
    let example: RunningExample | undefined;
    const sockets: WebSocket[] = [];
    const clients: TestClient<ServiceType>[] = [];

    before(async () => { webRoot = await mkdtemp(join(tmpdir(), 'tsrpc-session-limits-')); });
    after(async () => { await rm(webRoot, { recursive: true, force: true }); });
    afterEach(async () => {
        for (const socket of sockets.splice(0)) socket.terminate();
        await Promise.all(clients.splice(0).map(c => c.close()));
        await example?.stop();
        example = undefined;
    });

    function start(env: Record<string, string>): Promise<RunningExample> {
        return startExample({ WEB_PORT: '0', HTTP_PORT: '0', WS_PORT: '0', WEB_ROOT: webRoot, SESSION_SECRETS: TEST_SECRETS.join(','), ...env }, silentLogger);
    }

    async function openAll(url: string, from: string, count: number, headers?: Record<string, string>): Promise<string[]> {
        const results = await Promise.all(Array.from({ length: count }, () => open(url, from, headers)));
        for (const r of results) if (typeof r !== 'string') sockets.push(r);
        return results.map(r => typeof r === 'string' ? r : 'open');
    }

    it('WS_MAX_PER_ADDRESS counts the browser\'s address as the forwarder saw it: another address still connects', async () => {
        example = await start({ WS_MAX_PER_ADDRESS: '3', WS_MAX_TOTAL: '100' });
        const results = await openAll(example.api.wsUrl, '127.0.0.1', 5);
        assert.deepStrictEqual(results.sort(), ['Unexpected server response: 429', 'Unexpected server response: 429', 'open', 'open', 'open']);
        assert.deepStrictEqual(await openAll(example.api.wsUrl, '127.0.0.2', 1), ['open']);
    });

    it('a local process rotating X-Forwarded-For straight to the API port is one address', async () => {
        example = await start({ WS_MAX_PER_ADDRESS: '3', WS_MAX_TOTAL: '100' });
        const direct = `ws://${example.upstreams.ws.host}:${example.upstreams.ws.port}`;
        const results = await Promise.all([1, 2, 3, 4, 5].map(i => openAll(direct, '127.0.0.1', 1, { 'X-Forwarded-For': `198.51.100.${i}` })));
        assert.strictEqual(results.flat().filter(r => r === 'open').length, 3);
    });

    it('WS_MAX_TOTAL refuses past the total with 503', async () => {
        example = await start({ WS_MAX_PER_ADDRESS: '100', WS_MAX_TOTAL: '4' });
        assert.deepStrictEqual(await openAll(example.api.wsUrl, '127.0.0.1', 4), Array(4).fill('open'));
        assert.deepStrictEqual(await openAll(example.api.wsUrl, '127.0.0.2', 1), ['Unexpected server response: 503']);
    });

    it('SESSIONS_PER_USER caps a user\'s sessions', async () => {
        example = await start({ SESSIONS_PER_USER: '2', MEMORY_MAX_SESSIONS: '100' });
        for (let i = 0; i < 4; i++) {
            const client = await makeClient('http-json', example.api.httpUrl, serviceProto);
            clients.push(client);
            assert.ok((await client.client.callApi('Login', { username: 'alice', password: 'wonderland' })).isSucc);
        }
        assert.strictEqual((await example.app.sessions.listSessions('u1')).length, 2);
    });

    it('refuses to start with a limit that is not a positive integer, naming it', async () => {
        for (const name of ['MEMORY_MAX_SESSIONS', 'SESSIONS_PER_USER', 'WS_MAX_PER_ADDRESS', 'WS_MAX_TOTAL', 'LOGIN_MAX_TRACKED_KEYS']) {
            for (const bad of ['0', '-1', '1.5', 'many']) {
                await assert.rejects(start({ [name]: bad }), new RegExp(`^TypeError: ${name} must be a positive integer, not '${bad.replace('.', '\\.')}'$`));
            }
        }
    });
});
