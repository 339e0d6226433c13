import assert from 'assert';
import { WsServer } from 'tsrpc';
import WebSocket from 'ws';
import { limitWebSockets } from 'tsrpc-session/server';
import { serviceProto } from '../../shared/protocols/serviceProto';
import { ExampleTestApp, startExampleApp } from '../helpers/exampleApp';
import { silentLogger } from '../helpers/transports';

/** Opens a WebSocket from `localAddress`; resolves with the open socket or the refusal's message. */
function open(url: string, localAddress: string): Promise<WebSocket | string> {
    return new Promise(ok => {
        const socket = new WebSocket(url, { localAddress });
        socket.once('open', () => ok(socket));
        socket.once('error', e => ok(e.message));
    });
}

/** Issue 22 item 4: one address cannot use up the server's sockets; others still connect. */
describe('WebSocket limits (example)', () => {
    let env: ExampleTestApp;
    const sockets: WebSocket[] = [];
    beforeEach(async () => { env = await startExampleApp({}, silentLogger, { webSockets: { maxPerAddress: 20, maxTotal: 30 } }); });
    afterEach(async () => {
        for (const socket of sockets.splice(0)) socket.terminate();
        await env.stop();
    });

    async function flood(from: string, count: number): Promise<(WebSocket | string)[]> {
        const results = await Promise.all(Array.from({ length: count }, () => open(env.urls.ws, from)));
        for (const r of results) if (typeof r !== 'string') sockets.push(r);
        return results;
    }

    it('refuses the excess of one address with 429 at the upgrade; another address still connects', async () => {
        const results = await flood('127.0.0.1', 40);
        assert.strictEqual(results.filter(r => typeof r !== 'string').length, 20);
        assert.deepStrictEqual(new Set(results.filter(r => typeof r === 'string')), new Set(['Unexpected server response: 429']));
        const other = await flood('127.0.0.2', 1);
        assert.notStrictEqual(typeof other[0], 'string', 'a client of another address connects');
    });

    it('refuses past the total with 503, and lets a client in again once a socket closes', async () => {
        await flood('127.0.0.1', 20);
        await flood('127.0.0.2', 10);
        assert.deepStrictEqual(await flood('127.0.0.3', 1), ['Unexpected server response: 503']);
        const closed = new Promise(ok => sockets[0].once('close', ok));
        sockets.shift()!.close();
        await closed;
        // The server sees the TCP close a moment after the client; poll the outcome, not a time.
        let again: WebSocket | string = '';
        for (let i = 0; i < 50 && typeof again === 'string'; i++) [again] = await flood('127.0.0.3', 1);
        assert.notStrictEqual(typeof again, 'string');
    });
});

describe('limitWebSockets', () => {
    it('takes positive integer limits, and only before the server starts', async () => {
        const ws = new WsServer(serviceProto, { port: 0, logger: silentLogger });
        for (const bad of [0, -1, 1.5, NaN]) {
            assert.throws(() => limitWebSockets(ws, { maxPerAddress: bad }), /^RangeError: tsrpc-session: limitWebSockets maxPerAddress must be a positive integer/);
            assert.throws(() => limitWebSockets(ws, { maxTotal: bad }), /^RangeError: tsrpc-session: limitWebSockets maxTotal must be a positive integer/);
        }
        await ws.start();
        try {
            assert.throws(() => limitWebSockets(ws), /^TypeError: tsrpc-session: call limitWebSockets before the WsServer starts$/);
        } finally {
            await ws.stop();
        }
    });
});
