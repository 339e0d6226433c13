import assert from 'assert';
import { mkdir, mkdtemp, rm, writeFile } from 'fs/promises';
import { IncomingHttpHeaders, request } from 'http';
import { tmpdir } from 'os';
import { join } from 'path';
import { startWebServer, WebServer } from '../backend/src/webServer';

const API = { httpUrl: 'http://127.0.0.1:3100', wsUrl: 'ws://127.0.0.1:3101' };
const API_TAGS = '<meta name="tsrpc-session-http-api" content="http://127.0.0.1:3100"><meta name="tsrpc-session-ws-api" content="ws://127.0.0.1:3101">';

interface RawResponse { status: number; type?: string; body: string; headers: IncomingHttpHeaders }

/** A raw request: the path goes out exactly as written, `..` and all, as an attacker would send it. */
function fetchRaw(origin: string, path: string, method = 'GET'): Promise<RawResponse> {
    const { hostname, port } = new URL(origin);
    return new Promise((ok, fail) => {
        request({ hostname, port, path, method }, res => {
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
        web = await startWebServer({ root: join(dir, 'dist'), port: 0, host: '127.0.0.1', api: () => API });
    });
    after(async () => {
        await web?.stop();
        await rm(dir, { recursive: true, force: true });
    });

    it('serves index.html for / with the API addresses written in, and files with their content types', async () => {
        assert.deepStrictEqual(pick(await fetchRaw(web.origin, '/')), { status: 200, type: 'text/html; charset=utf-8', body: `${API_TAGS}<!doctype html>page` });
        assert.deepStrictEqual(pick(await fetchRaw(web.origin, '/main.js?v=1')), { status: 200, type: 'text/javascript; charset=utf-8', body: 'void 0' });
        assert.strictEqual((await fetchRaw(web.origin, '/index.html', 'HEAD')).status, 200);
    });

    it('writes the addresses before </head>, and nothing the page URL says', async () => {
        const withHead = await startWebServer({ root: join(dir, 'dist'), port: 0, host: '127.0.0.1', api: () => API });
        try {
            await writeFile(join(dir, 'dist', 'head.html'), '<html><head><title>t</title></head><body></body></html>');
            const res = await fetchRaw(withHead.origin, '/head.html?http=http://evil.example&ws=ws://evil.example');
            assert.strictEqual(res.body, `<html><head><title>t</title>${API_TAGS}</head><body></body></html>`);
        } finally {
            await withHead.stop();
        }
    });

    it('sends a Content-Security-Policy (connect-src: the API origins only; never framed) and X-Frame-Options on every answer', async () => {
        for (const path of ['/', '/main.js', '/missing.js']) {
            const { headers } = await fetchRaw(web.origin, path);
            assert.strictEqual(headers['content-security-policy'],
                "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                + "connect-src http://127.0.0.1:3100 ws://127.0.0.1:3101; base-uri 'none'; form-action 'none'; frame-ancestors 'none'", path);
            assert.strictEqual(headers['x-frame-options'], 'DENY');
        }
    });

    it('serves no source map unless in development', async () => {
        assert.strictEqual((await fetchRaw(web.origin, '/main.js.map')).status, 404);
        const development = await startWebServer({ root: join(dir, 'dist'), port: 0, host: '127.0.0.1', api: () => API, development: true });
        try {
            assert.deepStrictEqual(pick(await fetchRaw(development.origin, '/main.js.map')), { status: 200, type: 'application/json; charset=utf-8', body: '{"sources":["../src/main.ts"]}' });
        } finally {
            await development.stop();
        }
    });

    it('serves nothing while its API addresses are not valid http(s) and ws(s) origins', async () => {
        for (const api of [{ httpUrl: '', wsUrl: '' }, { httpUrl: 'javascript:alert(1)', wsUrl: API.wsUrl }, { httpUrl: API.httpUrl, wsUrl: 'ws://h/"><script>' }]) {
            const misconfigured = await startWebServer({ root: join(dir, 'dist'), port: 0, host: '127.0.0.1', api: () => api });
            try {
                assert.strictEqual((await fetchRaw(misconfigured.origin, '/')).status, 503, JSON.stringify(api));
            } finally {
                await misconfigured.stop();
            }
        }
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
