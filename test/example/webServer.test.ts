import assert from 'assert';
import { mkdir, mkdtemp, rm, writeFile } from 'fs/promises';
import { IncomingHttpHeaders, request } from 'http';
import { tmpdir } from 'os';
import { connect } from 'net';
import { join } from 'path';
import { startWebServer, WebServer } from '../../backend/src/web/webServer';


interface RawResponse { status: number; type?: string; body: string; headers: IncomingHttpHeaders }

/** A raw request: the path goes out exactly as written, `..` and all, as an attacker would send it. */
function fetchRaw(origin: string, path: string, method = 'GET', headers: Record<string, string> = {}): Promise<RawResponse> {
    const { hostname, port } = new URL(origin);
    return new Promise((ok, fail) => {
        request({ hostname, port, path, method, headers }, res => {
            let body = '';
            res.setEncoding('utf8').on('data', chunk => { body += chunk; }).on('end', () => ok({ status: res.statusCode!, type: res.headers['content-type'], body, headers: res.headers }));
        }).on('error', fail).end();
    });
}

const pick = ({ status, type, body }: RawResponse) => ({ status, type, body });

describe('example web server', () => {
    let dir: string;
    let web: WebServer;
    before(async () => {
        dir = await mkdtemp(join(tmpdir(), 'tsrpc-session-web-'));
        await mkdir(join(dir, 'dist'));
        await writeFile(join(dir, 'dist', 'index.html'), '<!doctype html>page');
        await writeFile(join(dir, 'dist', 'main.js'), 'void 0');
        await writeFile(join(dir, 'dist', 'main.js.map'), '{"sources":["../src/main.ts"]}');
        await writeFile(join(dir, 'dist', 'notes.txt'), 'no content type for this');
        await writeFile(join(dir, 'secret.json'), '{"secret":true}');
        web = await startWebServer({ root: join(dir, 'dist'), port: 0, host: '127.0.0.1', api: () => undefined });
    });
    after(async () => {
        await web?.stop();
        await rm(dir, { recursive: true, force: true });
    });

    it('serves index.html for / as it is (no address written in: the API is on its origin), and files with their content types', async () => {
        assert.deepStrictEqual(pick(await fetchRaw(web.origin, '/?http=http://evil.example')), { status: 200, type: 'text/html; charset=utf-8', body: '<!doctype html>page' });
        assert.deepStrictEqual(pick(await fetchRaw(web.origin, '/main.js?v=1')), { status: 200, type: 'text/javascript; charset=utf-8', body: 'void 0' });
        assert.strictEqual((await fetchRaw(web.origin, '/index.html', 'HEAD')).status, 200);
    });

    it('sends a Content-Security-Policy (connect-src: its own origin, over HTTP and WebSocket; never framed) and X-Frame-Options on every answer', async () => {
        const host = new URL(web.origin).host;
        for (const path of ['/', '/main.js', '/missing.js']) {
            const { headers } = await fetchRaw(web.origin, path);
            assert.strictEqual(headers['content-security-policy'],
                "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                + `connect-src 'self' ws://${host} wss://${host}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`, path);
            assert.strictEqual(headers['x-frame-options'], 'DENY');
        }
        const named = await fetchRaw(web.origin, '/', 'GET', { Host: 'shop.example:8443' });
        assert.match(String(named.headers['content-security-policy']), /connect-src 'self' ws:\/\/shop\.example:8443 wss:\/\/shop\.example:8443;/);
    });

    it('answers 400, with no policy built from it, to a Host header that is not a plain host', async () => {
        for (const host of ["a; connect-src *", 'a b', 'a/b']) {
            const res = await fetchRaw(web.origin, '/', 'GET', { Host: host });
            assert.deepStrictEqual([res.status, res.headers['content-security-policy']], [400, undefined], host);
        }
        const { port } = new URL(web.origin);
        const socket = connect(Number(port), '127.0.0.1');
        socket.end('GET / HTTP/1.0\r\n\r\n');
        let answer = '';
        for await (const chunk of socket) answer += chunk;
        assert.match(answer, /^HTTP\/1\.1 400 /);
        assert.doesNotMatch(answer, /Content-Security-Policy/i);
    });

    it('serves no source map unless in development', async () => {
        assert.strictEqual((await fetchRaw(web.origin, '/main.js.map')).status, 404);
        const development = await startWebServer({ root: join(dir, 'dist'), port: 0, host: '127.0.0.1', api: () => undefined, development: true });
        try {
            assert.deepStrictEqual(pick(await fetchRaw(development.origin, '/main.js.map')), { status: 200, type: 'application/json; charset=utf-8', body: '{"sources":["../src/main.ts"]}' });
        } finally {
            await development.stop();
        }
    });

    it('answers 503 on /api/ and on a /ws upgrade while no API server is named, and serves the page meanwhile', async () => {
        assert.deepStrictEqual(pick(await fetchRaw(web.origin, '/api/GetMe', 'POST')), { status: 503, type: 'text/plain; charset=utf-8', body: 'The API server is not running' });
        const upgrade = await fetchRaw(web.origin, '/ws', 'GET', { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==' });
        assert.strictEqual(upgrade.status, 503);
        assert.strictEqual((await fetchRaw(web.origin, '/')).status, 200);
    });

    for (const path of ['/../secret.json', '/%2e%2e/secret.json', '/..%2fsecret.json', '/..%5csecret.json', '/index.html%00.js', '/%E0%A4%A']) {
        it(`never serves anything outside its folder: ${path}`, async () => {
            const res = await fetchRaw(web.origin, path);
            assert.strictEqual(res.status, 404);
            assert.doesNotMatch(res.body, /secret/);
        });
    }

    it('answers 404 for missing files and files of unknown type, 405 for other methods', async () => {
        assert.strictEqual((await fetchRaw(web.origin, '/missing.js')).status, 404);
        assert.strictEqual((await fetchRaw(web.origin, '/notes.txt')).status, 404);
        assert.strictEqual((await fetchRaw(web.origin, '/', 'POST')).status, 405);
    });
});
