/**
 * Issue 22 item 1 in Chromium: cookies are not isolated by port or by subdomain, so a page of a
 * sibling origin (another port of the host, or evil.shop.localhost beside app.shop.localhost) can
 * plant a session cookie the victim's browser then sends to the example's API. Chromium resolves
 * `*.localhost` to loopback and counts `http://localhost` and its subdomains as secure, so the
 * example's Secure `__Host-sid` cookie works there over plain HTTP.
 */
import assert from 'assert';
import { BrowserContext, Page } from 'playwright-core';
import { logIn } from '../helpers/browserPage';
import { ExamplePage, startExampleApi, useExamplePage } from '../helpers/pageHarness';
import { SiblingSite, startSiblingSite } from '../helpers/siblingSite';
import { ExampleApp } from '../../backend/src/app';

const FORGED = `${'A'.repeat(43)}.${'B'.repeat(43)}`;

describe('example page in Chromium: session cookies tossed from sibling origins (issue 22 item 1)', function () {
    this.timeout(60_000);
    const example: ExamplePage = useExamplePage();
    let sibling: SiblingSite;
    let ownApp: ExampleApp | undefined;
    before(async () => { sibling = await startSiblingSite(); });
    after(async () => { await sibling.stop(); });
    afterEach(async () => {
        await ownApp?.stop();
        ownApp = undefined;
    });

    const webPort = () => new URL(example.served.web.origin).port;
    const pageUrl = (host = '127.0.0.1') => `http://${host}:${webPort()}/`;

    /** The example API with other session options for this test (the Secure flag off: a plain `sid`). */
    async function useApi(session: Parameters<typeof startExampleApi>[1]): Promise<void> {
        const started = await startExampleApi(example.served.web.origin, session);
        ownApp = started.app;
        example.upstreams = started.upstreams;
    }

    /** Bob's own login, as the attacker performs it: his signed id, whatever the cookie's name. */
    async function bobsId(): Promise<string> {
        const response = await fetch(`${example.served.web.origin}/api/Login`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', 'Sec-Fetch-Site': 'same-origin' },
            body: JSON.stringify({ username: 'bob', password: 'builder' }),
        });
        const line = response.headers.getSetCookie().find(l => /^(__Host-)?sid=[\w-]{43}\./.test(l));
        assert.ok(line, 'bob logged in');
        return /=([\w-]{43}\.[\w-]{43});/.exec(line)![1];
    }

    async function openVictim(device: BrowserContext, host?: string): Promise<Page> {
        const page = await device.newPage();
        await page.goto(pageUrl(host));
        await page.getByRole('heading', { name: 'Account' }).waitFor();
        return page;
    }

    async function plant(device: BrowserContext, plantWhat: { js?: string[]; header?: string[] }, host?: string): Promise<void> {
        const page = await device.newPage();
        await page.goto(sibling.plantUrl(plantWhat, host));
        await page.waitForFunction(() => document.title === 'planted');
        await page.close();
    }

    /** Who the page says is signed in after a reload, once its calls are answered. */
    async function signedInAfterReload(page: Page): Promise<string> {
        await page.reload();
        await page.waitForFunction(() => !document.body.hasAttribute('aria-busy') && (document.getElementById('account')?.textContent ?? '') !== '');
        const account = await page.locator('#account').textContent() ?? '';
        return /Signed in as ([A-Z][a-z]+)/.exec(account)?.[1] ?? 'nobody';
    }

    it('another port of the host writes bob\'s id into document.cookie on Path=/api/: the victim stays alice', async () => {
        const device = await example.newDevice();
        const victim = await openVictim(device);
        await logIn(victim, 'alice', 'wonderland');
        const bob = await bobsId();
        await plant(device, { js: [`sid=${bob}; path=/api/`, `__Host-sid=${bob}; path=/api/; secure`] });
        assert.strictEqual(await signedInAfterReload(victim), 'Alice');
    });

    it('a sibling subdomain plants bob\'s id with Domain=shop.localhost; Path=/api/: the victim on app.shop.localhost stays alice', async () => {
        const device = await example.newDevice();
        const victim = await openVictim(device, 'app.shop.localhost');
        await logIn(victim, 'alice', 'wonderland');
        const bob = await bobsId();
        await plant(device, { js: [`sid=${bob}; domain=shop.localhost; path=/api/`, `__Host-sid=${bob}; domain=shop.localhost; path=/api/; secure`] }, 'evil.shop.localhost');
        assert.strictEqual(await signedInAfterReload(victim), 'Alice');
    });

    it('another port answers Set-Cookie: sid=<bob>; Path=/: the victim stays alice', async () => {
        const device = await example.newDevice();
        const victim = await openVictim(device);
        await logIn(victim, 'alice', 'wonderland');
        const bob = await bobsId();
        await plant(device, { header: [`sid=${bob}; Path=/`, `__Host-sid=${bob}; Path=/api/; Secure`] });
        assert.strictEqual(await signedInAfterReload(victim), 'Alice');
    });

    describe('without Secure (a plain sid cookie, as on a plain-HTTP host)', () => {
        beforeEach(async () => { await useApi({ httpCookie: { secure: false } }); });

        it('bob\'s id planted on Path=/api/ beside alice\'s: trusted in neither, the victim is signed out, never bob', async () => {
            const device = await example.newDevice();
            const victim = await openVictim(device);
            await logIn(victim, 'alice', 'wonderland');
            await plant(device, { js: [`sid=${await bobsId()}; path=/api/`] });
            assert.strictEqual(await signedInAfterReload(victim), 'nobody');
            assert.deepStrictEqual((await device.cookies()).filter(c => c.name === 'sid'), [], 'both cookies were cleared');
        });

        it('an invalid sid planted on Path=/api/ signs the victim out once; the next login holds', async () => {
            const device = await example.newDevice();
            const victim = await openVictim(device);
            await logIn(victim, 'alice', 'wonderland');
            await plant(device, { js: [`sid=${FORGED}; path=/api/`] });
            assert.strictEqual(await signedInAfterReload(victim), 'nobody');
            await logIn(victim, 'alice', 'wonderland');
            assert.strictEqual(await signedInAfterReload(victim), 'Alice', 'the login was undone');
            assert.strictEqual(await signedInAfterReload(victim), 'Alice');
            assert.deepStrictEqual((await device.cookies()).filter(c => c.name === 'sid').map(c => c.path), ['/'], 'only the real cookie is left');
        });
    });
});
