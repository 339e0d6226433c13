import assert from 'assert';
import { request } from 'http';
import { HttpServer, WsClient, WsServer } from 'tsrpc';
import { limitRequestSize, SessionErrorCode } from 'tsrpc-session/server';
import { serviceProto } from '../../shared/protocols/serviceProto';
import { tmpdir } from 'os';
import { startExample } from '../../backend/src/index';
import { ExampleTestApp, startExampleApp } from '../helpers/exampleApp';
import { TEST_SECRETS } from '../helpers/sessionServer';
import { RawWsJson } from '../helpers/rawCalls';
import { silentLogger } from '../helpers/transports';

const MiB = 1024 * 1024;
const OVERSIZED_ITEM = 'x'.repeat(2 * MiB);

interface RawAnswer { status: number; body: string; bytesSent: number }

/**
 * POSTs to the example's HTTP API, streaming `totalBytes` of a JSON body in 64 KiB chunks, and
 * resolves as soon as an answer arrives, with how much of the body had been sent by then.
 */
function streamBody(url: string, totalBytes: number, declareLength: boolean): Promise<RawAnswer> {
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    return new Promise((ok, fail) => {
        let bytesSent = 0;
        let answered = false;
        const req = request(`${url}/AddToCart`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', ...(declareLength && { 'Content-Length': totalBytes }) },
        }, res => {
            answered = true;
            let body = '';
            res.setEncoding('utf8').on('data', c => { body += c; }).on('end', () => {
                ok({ status: res.statusCode!, body, bytesSent });
                req.destroy();
            });
        });
        req.on('error', e => (answered ? undefined : fail(e)));
        const pump = () => {
            while (!answered && bytesSent < totalBytes) {
                const piece = chunk.subarray(0, Math.min(chunk.length, totalBytes - bytesSent));
                bytesSent += piece.length;
                if (!req.write(piece)) return void req.once('drain', pump);
            }
            if (!answered) req.end();
        };
        pump();
    });
}

/** Issue 12 item 6: no request body is read whole past the limit; the server keeps answering. */
describe('request size limit (example: 1 MiB)', () => {
    let env: ExampleTestApp;
    beforeEach(async () => { env = await startExampleApp(); });
    afterEach(async () => { await env.stop(); });

    for (const transport of ['http-json', 'http-binary'] as const) {
        it(`over ${transport}: a 2 MiB call is refused with REQUEST_TOO_LARGE, and the server keeps answering`, async () => {
            const { client } = await env.client(transport);
            const ret = await client.callApi('AddToCart', { item: OVERSIZED_ITEM, quantity: 1 });
            assert.deepStrictEqual(ret.isSucc ? ret : { code: ret.err.code, message: ret.err.message },
                { code: SessionErrorCode.RequestTooLarge, message: 'Request too large: the limit is 1048576 bytes' });
            assert.deepStrictEqual(await client.callApi('GetCart', {}), { isSucc: true, res: { cart: [] } });
            assert.ok((await client.callApi('AddToCart', { item: 'tea', quantity: 1 })).isSucc);
        });
    }

    it('a declared 100 MiB body is answered 413 before it is sent, let alone read', async () => {
        const answer = await streamBody(env.urls.http, 100 * MiB, true);
        assert.strictEqual(answer.status, 413);
        assert.deepStrictEqual(JSON.parse(answer.body), {
            isSucc: false, err: { message: 'Request too large: the limit is 1048576 bytes', type: 'ServerError', code: 'REQUEST_TOO_LARGE' },
        });
        assert.ok(answer.bytesSent < 100 * MiB, `${answer.bytesSent} bytes sent before the answer`);
    });

    it('a chunked body (no Content-Length) is cut off once it passes the limit', async () => {
        const answer = await streamBody(env.urls.http, 100 * MiB, false);
        assert.strictEqual(answer.status, 413);
        assert.strictEqual(JSON.parse(answer.body).err.code, 'REQUEST_TOO_LARGE');
        assert.ok(answer.bytesSent < 100 * MiB, `${answer.bytesSent} bytes sent before the answer`);
    });

    it('a body just under the limit is read and answered by the API as usual', async () => {
        const { client } = await env.client('http-json');
        const ret = await client.callApi('AddToCart', { item: 'x'.repeat(MiB - 100), quantity: 1 });
        assert.strictEqual(!ret.isSucc && ret.err.code, 'BAD_ITEM');
    });

    it('over WebSocket: a 2 MiB message closes that socket (1009) unread; new sockets are served', async () => {
        const raw = await RawWsJson.open(env.urls.ws);
        try {
            const ret = await raw.call('AddToCart', { item: OVERSIZED_ITEM, quantity: 1 });
            assert.deepStrictEqual(ret, { isSucc: false, err: { message: 'closed', code: 'CLOSED' } });
            assert.strictEqual(raw.closeCode, 1009);
        } finally {
            await raw.close();
        }

        const { client } = await env.client('ws');
        assert.ok((await client.callApi('AddToCart', { item: 'tea', quantity: 1 })).isSucc);
        const failed = await client.callApi('AddToCart', { item: OVERSIZED_ITEM, quantity: 1 });
        assert.strictEqual(!failed.isSucc && failed.err.type, 'NetworkError');
        assert.strictEqual((client as WsClient<any>).isConnected, false);
    });
});

describe('the example started from its environment: MAX_REQUEST_BYTES', () => {
    const env = { WEB_PORT: '0', HTTP_PORT: '0', WS_PORT: '0', WEB_ROOT: tmpdir(), SESSION_SECRETS: TEST_SECRETS.join(',') };

    it('sets the limit', async () => {
        const example = await startExample({ ...env, MAX_REQUEST_BYTES: '1000' }, silentLogger);
        try {
            const answer = await streamBody(example.api.httpUrl, 2000, true);
            assert.strictEqual(answer.status, 413);
            assert.match(answer.body, /the limit is 1000 bytes/);
        } finally {
            await example.stop();
        }
    });

    it('refuses to start with a limit that is not a positive integer', async () => {
        await assert.rejects(startExample({ ...env, MAX_REQUEST_BYTES: '1MB' }, silentLogger),
            { name: 'TypeError', message: 'tsrpc-session: limitRequestSize maxBytes must be a positive integer' });
    });
});

describe('limitRequestSize', () => {
    it('refuses a limit that is not a positive integer, a started WsServer, and other servers', async () => {
        const http = new HttpServer(serviceProto, { port: 0, logger: silentLogger });
        assert.throws(() => limitRequestSize(http, { maxBytes: 0 }), /^TypeError: tsrpc-session: limitRequestSize maxBytes must be a positive integer$/);
        assert.throws(() => limitRequestSize(http, { maxBytes: 1.5 }), /positive integer/);
        const ws = new WsServer(serviceProto, { port: 0, logger: silentLogger });
        await ws.start();
        try {
            assert.throws(() => limitRequestSize(ws), /^TypeError: tsrpc-session: call limitRequestSize before the WsServer starts$/);
        } finally {
            await ws.stop();
        }
        assert.throws(() => limitRequestSize({} as HttpServer<any>), /takes HttpServer and WsServer instances/);
    });

    it('sets the WebSocket server\'s maxPayload, keeping its other ws options', () => {
        const ws = new WsServer(serviceProto, { port: 0, logger: silentLogger, wsOptions: { perMessageDeflate: false } });
        limitRequestSize(ws, { maxBytes: 4096 });
        assert.deepStrictEqual(ws.options.wsOptions, { perMessageDeflate: false, maxPayload: 4096 });
    });
});
