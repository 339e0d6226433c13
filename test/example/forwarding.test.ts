import assert from 'assert';
import { once } from 'events';
import { mkdtemp, rm } from 'fs/promises';
import { createServer, IncomingHttpHeaders, IncomingMessage, request, Server, ServerResponse } from 'http';
import { AddressInfo } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';
import WebSocket from 'ws';
import { startWebServer, WebServer } from '../../backend/src/web/webServer';
import { freePort } from '../helpers/freePort';

interface Seen { method?: string; url?: string; headers: IncomingHttpHeaders; body: string }

/** A real upstream server whose handler each test sets. */
class Upstream {
    readonly server: Server;
    readonly wss: WebSocket.Server;
    handle: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end();

    constructor() {
        this.server = createServer((req, res) => this.handle(req, res));
        this.wss = new WebSocket.Server({ server: this.server });
    }

    get port(): number {
        return (this.server.address() as AddressInfo).port;
    }

    async start(): Promise<void> {
        this.server.listen(0, '127.0.0.1');
        await once(this.server, 'listening');
    }

    async stop(): Promise<void> {
        for (const client of this.wss.clients) client.terminate();
        await new Promise<void>(ok => this.wss.close(() => ok()));
        this.server.closeAllConnections();
        await new Promise<void>(ok => this.server.close(() => ok()));
    }
}

function readAll(stream: IncomingMessage): Promise<string> {
    return new Promise((ok, fail) => {
        let text = '';
        stream.setEncoding('utf8').on('data', chunk => { text += chunk; }).on('end', () => ok(text)).on('error', fail);
    });
}

describe('example web server: /api/ and the /ws upgrade forwarded to the API servers', () => {
    let dir: string;
    let upstream: Upstream;
    let web: WebServer;
    let webPort: number;
    let sockets: WebSocket[] = [];

    before(async () => {
        dir = await mkdtemp(join(tmpdir(), 'tsrpc-session-forward-'));
    });
    after(async () => {
        await rm(dir, { recursive: true, force: true });
    });

    beforeEach(async () => {
        upstream = new Upstream();
        await upstream.start();
        const port = upstream.port;
        web = await startWebServer({ root: dir, port: 0, host: '127.0.0.1', api: () => ({ http: { host: '127.0.0.1', port }, ws: { host: '127.0.0.1', port } }) });
        webPort = Number(new URL(web.origin).port);
    });

    afterEach(async () => {
        for (const socket of sockets) socket.terminate();
        sockets = [];
        await web.stop();
        await upstream.stop();
    });

    /** A request to the web server; `write` sends the body, piece by piece if it likes. */
    function send(path: string, headers: Record<string, string>, write: (req: ReturnType<typeof request>) => Promise<void> | void = req => void req.end()) {
        const req = request({ host: '127.0.0.1', port: webPort, path, method: 'POST', headers });
        const response = once(req, 'response').then(([res]) => res as IncomingMessage);
        void write(req);
        return { req, response };
    }

    function openSocket(path: string, headers: Record<string, string> = {}): WebSocket {
        const socket = new WebSocket(`ws://127.0.0.1:${webPort}${path}`, { headers });
        sockets.push(socket);
        return socket;
    }

    it('passes method, path, query, headers (Host included) and body unchanged, and the answer back; X-Forwarded-For is the peer, not what the client wrote', async () => {
        let seen: Seen | undefined;
        upstream.handle = (req, res) => {
            void readAll(req).then(body => {
                seen = { method: req.method, url: req.url, headers: req.headers, body };
                res.writeHead(201, { 'Content-Type': 'application/json', 'X-Answer': 'yes' }).end('{"isSucc":true}');
            });
        };
        const { response } = send('/api/AddToCart?x=1', {
            'Content-Type': 'application/json', Cookie: 'sid=abc', Origin: 'http://shop.example', 'X-Forwarded-For': '203.0.113.9',
        }, req => void req.end('{"item":"tea"}'));
        const res = await response;
        assert.deepStrictEqual([res.statusCode, res.headers['content-type'], res.headers['x-answer'], await readAll(res)], [201, 'application/json', 'yes', '{"isSucc":true}']);
        assert.deepStrictEqual({ method: seen?.method, url: seen?.url, body: seen?.body }, { method: 'POST', url: '/api/AddToCart?x=1', body: '{"item":"tea"}' });
        assert.deepStrictEqual(
            [seen!.headers.host, seen!.headers.cookie, seen!.headers.origin, seen!.headers['content-type'], seen!.headers['x-forwarded-for']],
            [`127.0.0.1:${webPort}`, 'sid=abc', 'http://shop.example', 'application/json', '127.0.0.1'],
        );
    });

    it('streams: the upstream reads the first part of a body before the client has sent the rest, and the client reads the first part of the answer likewise', async () => {
        const upstreamGotFirst = new Promise<IncomingMessage>(ok => {
            upstream.handle = (req, res) => {
                req.once('data', () => ok(req));
                res.writeHead(200, { 'Content-Type': 'text/plain' });
                res.write('first;');
                void readAll(req).then(rest => res.end(`rest=${rest}`));
            };
        });
        const { req, response } = send('/api/Stream', { 'Transfer-Encoding': 'chunked' }, r => void r.write('one;'));
        await upstreamGotFirst;
        const res = await response;
        const firstAnswer = await new Promise<string>(ok => res.once('data', chunk => ok(String(chunk))));
        assert.strictEqual(firstAnswer, 'first;');
        req.end('two');
        // Both of the upstream's listeners saw the first chunk; the second came after the upstream had answered in part.
        assert.strictEqual(await readAll(res), 'rest=one;two');
    });

    it('answers 502 when the API server is down, and aborts an answer the API server breaks off', async () => {
        upstream.handle = (_req, res) => {
            res.writeHead(200, { 'Content-Type': 'text/plain' });
            res.write('partial');
            setImmediate(() => res.socket?.destroy());
        };
        const broken = await send('/api/Broken', {}).response;
        await assert.rejects(readAll(broken), { code: 'ECONNRESET' });

        const port = await freePort();
        const down = await startWebServer({ root: dir, port: 0, host: '127.0.0.1', api: () => ({ http: { host: '127.0.0.1', port }, ws: { host: '127.0.0.1', port } }) });
        try {
            const res = await new Promise<IncomingMessage>((ok, fail) => request(`${down.origin}/api/GetMe`, { method: 'POST' }, ok).on('error', fail).end());
            assert.deepStrictEqual([res.statusCode, await readAll(res)], [502, 'Bad gateway: the API server did not answer']);
            const socket = new WebSocket(`${down.origin.replace('http:', 'ws:')}/ws`);
            sockets.push(socket);
            const [error] = await once(socket, 'error');
            assert.strictEqual((error as Error).message, 'Unexpected server response: 502');
        } finally {
            await down.stop();
        }
    });

    it('passes on in full an answer the API server sends before reading the body, then closes (a refusal)', async () => {
        upstream.handle = (req, res) => {
            req.pause();
            res.writeHead(403, { 'Content-Type': 'text/plain', Connection: 'close' }).end('refused');
        };
        const { req, response } = send('/api/Refused', { 'Transfer-Encoding': 'chunked' }, r => void r.write('x'.repeat(64 * 1024)));
        req.on('error', () => undefined);
        const res = await response;
        req.end('y'.repeat(64 * 1024));
        assert.deepStrictEqual([res.statusCode, await readAll(res)], [403, 'refused']);
    });

    it('a client that goes away mid-request takes its upstream request with it', async () => {
        const upstreamReading = new Promise<IncomingMessage>(ok => {
            upstream.handle = req => void req.once('data', () => ok(req));
        });
        const { req: client } = send('/api/Slow', { 'Transfer-Encoding': 'chunked' }, r => void r.write('part'));
        client.on('error', () => undefined);
        const upstreamRequest = await upstreamReading;
        const upstreamClosed = new Promise<boolean>(ok => upstreamRequest.once('close', () => ok(upstreamRequest.complete)));
        client.destroy();
        assert.strictEqual(await upstreamClosed, false, 'the upstream request was cut, not completed');
    });

    it('forwards a /ws upgrade (path, query, Host, Origin, cookie; X-Forwarded-For the peer) and relays messages both ways', async () => {
        const upgraded = new Promise<{ req: IncomingMessage; socket: WebSocket }>(ok => upstream.wss.once('connection', (socket, req) => ok({ socket, req })));
        const client = openSocket('/ws?v=1', { Origin: 'http://shop.example', Cookie: 'sid=abc', 'X-Forwarded-For': '203.0.113.9' });
        await once(client, 'open');
        const { req, socket: server } = await upgraded;
        assert.deepStrictEqual(
            [req.url, req.headers.host, req.headers.origin, req.headers.cookie, req.headers['x-forwarded-for']],
            ['/ws?v=1', `127.0.0.1:${webPort}`, 'http://shop.example', 'sid=abc', '127.0.0.1'],
        );
        server.on('message', data => server.send(`echo:${data}`));
        client.send('hello');
        const [answer] = await once(client, 'message');
        assert.strictEqual(String(answer), 'echo:hello');
    });

    it('closes the client when the API server closes the socket, and the API server\'s socket when the client goes', async () => {
        const first = new Promise<WebSocket>(ok => upstream.wss.once('connection', ok));
        const client = openSocket('/ws');
        await once(client, 'open');
        (await first).close(4000, 'bye');
        const [code, reason] = await once(client, 'close');
        assert.deepStrictEqual([code, String(reason)], [4000, 'bye']);

        const second = new Promise<WebSocket>(ok => upstream.wss.once('connection', ok));
        const leaving = openSocket('/ws');
        await once(leaving, 'open');
        const server = await second;
        const serverClosed = once(server, 'close');
        leaving.terminate();
        await serverClosed;
    });

    it('refuses an upgrade on any other path with 404, before reaching the API server', async () => {
        let reached = false;
        upstream.wss.once('connection', () => { reached = true; });
        const socket = openSocket('/api/');
        const [error] = await once(socket, 'error');
        assert.strictEqual((error as Error).message, 'Unexpected server response: 404');
        assert.strictEqual(reached, false);
    });
});
