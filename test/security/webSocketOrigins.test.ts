import assert from 'assert';
import { WsServer } from 'tsrpc';
import WebSocket from 'ws';
import { allowWebSocketOrigins } from 'tsrpc-session/server';
import { serviceProto } from '../../shared/protocols/serviceProto';
import { CapturingLogger } from '../helpers/capturingLogger';
import { ExampleTestApp, startExampleApp } from '../helpers/exampleApp';
import { silentLogger } from '../helpers/transports';

const PAGE_ORIGIN = 'http://127.0.0.1:8080';

/** Opens a WebSocket sending `origin` as a browser would; resolves with 'open' or the refusal. */
function upgrade(url: string, origin?: string): Promise<string> {
    return new Promise(ok => {
        const socket = new WebSocket(url, origin === undefined ? {} : { origin });
        socket.once('open', () => { socket.close(); ok('open'); });
        socket.once('error', e => ok(e.message));
    });
}

/** Issue 12 item 8: WebSocket upgrades from pages of other origins are refused. */
describe('allowed origins for WebSocket upgrades (example)', () => {
    let env: ExampleTestApp;
    let logger: CapturingLogger;
    beforeEach(async () => {
        logger = new CapturingLogger();
        env = await startExampleApp({}, logger, { allowedOrigins: [PAGE_ORIGIN] });
    });
    afterEach(async () => { await env.stop(); });

    it('refuses an upgrade from another origin with 403, before any connection exists', async () => {
        for (const origin of ['http://evil.example', 'http://127.0.0.1:8081', 'https://127.0.0.1:8080', 'null']) {
            assert.strictEqual(await upgrade(env.urls.ws, origin), 'Unexpected server response: 403', origin);
        }
        assert.strictEqual(env.app.ws.connections.length, 0);
        assert.match(logger.text, /\[WsOriginRefused\] http:\/\/evil\.example/);
    });

    it('lets the page\'s origin in, and clients that send no Origin (not browsers)', async () => {
        assert.strictEqual(await upgrade(env.urls.ws, PAGE_ORIGIN), 'open');
        assert.strictEqual(await upgrade(env.urls.ws, 'HTTP://127.0.0.1:8080'), 'open');
        const { client } = await env.client('ws');
        assert.deepStrictEqual(await client.callApi('GetMe', {}), { isSucc: true, res: {} });
    });
});

describe('allowWebSocketOrigins', () => {
    it('takes origins only, and only before the server starts', async () => {
        const ws = new WsServer(serviceProto, { port: 0, logger: silentLogger });
        for (const bad of ['*', 'null', 'http://a.example/path', 'http://a.example?x', 'a.example', 'http://user@a.example']) {
            assert.throws(() => allowWebSocketOrigins(ws, [bad]), /^TypeError: tsrpc-session: '.*' is not an origin/, bad);
        }
        allowWebSocketOrigins(ws, ['https://a.example/']);
        assert.strictEqual(typeof ws.options.wsOptions?.verifyClient, 'function');
        await ws.start();
        try {
            assert.throws(() => allowWebSocketOrigins(ws, ['https://a.example']), /^TypeError: tsrpc-session: call allowWebSocketOrigins before the WsServer starts$/);
        } finally {
            await ws.stop();
        }
    });
});
