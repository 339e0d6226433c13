import assert from 'assert';
import { mkdir, mkdtemp, rm, writeFile } from 'fs/promises';
import { request } from 'http';
import { tmpdir } from 'os';
import { join } from 'path';
import { startWebServer, WebServer } from '../backend/src/webServer';

/** A raw request: the path goes out exactly as written, `..` and all, as an attacker would send it. */
function fetchRaw(origin: string, path: string, method = 'GET'): Promise<{ status: number; type?: string; body: string }> {
    const { hostname, port } = new URL(origin);
    return new Promise((ok, fail) => {
        request({ hostname, port, path, method }, res => {
            let body = '';
            res.setEncoding('utf8').on('data', chunk => { body += chunk; }).on('end', () => ok({ status: res.statusCode!, type: res.headers['content-type'], body }));
        }).on('error', fail).end();
    });
}

describe('example web server', () => {
    let dir: string;
    let web: WebServer;
    before(async () => {
        dir = await mkdtemp(join(tmpdir(), 'tsrpc-session-web-'));
        await mkdir(join(dir, 'dist'));
        await writeFile(join(dir, 'dist', 'index.html'), '<!doctype html>page');
        await writeFile(join(dir, 'dist', 'main.js'), 'void 0');
        await writeFile(join(dir, 'dist', 'notes.txt'), 'no content type for this');
        await writeFile(join(dir, 'secret.json'), '{"secret":true}');
        web = await startWebServer({ root: join(dir, 'dist'), port: 0, host: '127.0.0.1' });
    });
    after(async () => {
        await web?.stop();
        await rm(dir, { recursive: true, force: true });
    });

    it('serves index.html for / and files with their content types', async () => {
        assert.deepStrictEqual(await fetchRaw(web.origin, '/'), { status: 200, type: 'text/html; charset=utf-8', body: '<!doctype html>page' });
        assert.deepStrictEqual(await fetchRaw(web.origin, '/main.js?v=1'), { status: 200, type: 'text/javascript; charset=utf-8', body: 'void 0' });
        assert.strictEqual((await fetchRaw(web.origin, '/index.html', 'HEAD')).status, 200);
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
