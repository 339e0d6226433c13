import assert from 'assert';
import { mkdir } from 'fs/promises';
import { join } from 'path';
import { BrowserContext, Page } from 'playwright-core';
import { logIn, waitForText } from '../helpers/browserPage';
import { freePort } from '../helpers/freePort';
import { useExamplePage } from '../helpers/pageHarness';

const SCREENSHOT = join(__dirname, '../../test-output/web-page.png');
/** `<id>.<signature>`: 32 random bytes and an HMAC-SHA256, both base64url. */
const SIGNED_SID = /^[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{43}$/;
/** A seal (format 0x02): its 20-character clear head, then nonce, ciphertext and tag, base64url. */
const SEAL = /^A[g-v][A-Za-z0-9_-]{80,}$/;

type PageTransport = 'http' | 'ws';

for (const mode of ['store', 'sealed'] as const) describe(`example web page in Chromium${mode === 'sealed' ? ', sealed mode (SESSION_STORE=sealed, issue 24)' : ''}`, function () {
    this.timeout(60_000);
    const example = useExamplePage(mode);
    /** Sealed mode runs the session flows; the device list needs a store, and the rest does not depend on the mode. */
    const storeOnly = (title: string, test: () => Promise<void>) => {
        if (mode === 'store') it(title, test);
    };

    for (const transport of ['http', 'ws'] as const) {
        describe(`over ${transport === 'ws' ? 'WebSocket' : 'HTTP'}`, () => {
            it('logs in, keeps the login and the cart across a reload, and logs out', async () => {
                const page = await openPage(transport);
                await logIn(page, 'alice', 'wonderland');
                for (const item of ['Espresso', 'Espresso', 'Croissant']) await page.getByRole('button', { name: `Add ${item}` }).click();
                await waitForText(page, '#cart-count', '3');

                await page.reload();
                await page.getByText('Signed in as Alice').waitFor();
                await waitForText(page, '#cart-count', '3');
                assert.deepStrictEqual(await page.locator('ul.cart li').allInnerTexts(), ['Espresso\n× 2', 'Croissant\n× 1']);
                assert.strictEqual(await page.locator('#server').textContent(), example.apiUrl(transport));
                if (transport === 'ws') assert.ok(example.app.ws.connections.length > 0, 'the page calls over its WebSocket');

                await assertSessionOnlyInHttpOnlyCookie(page, mode === 'sealed' ? SEAL : SIGNED_SID);
                if (transport === 'http') {
                    await mkdir(join(SCREENSHOT, '..'), { recursive: true });
                    await page.screenshot({ path: SCREENSHOT, fullPage: true });
                }

                await page.getByRole('button', { name: 'Log out', exact: true }).click();
                await page.getByText('Not signed in').waitFor();
                await waitForText(page, '#cart-count', '0');
                assert.ok(await page.locator('#devices').isHidden());
                // What stays is the login throttling's device cookie (issue 22 item 3): an app cookie, no session.
                await page.locator('dl.cookies dt', { hasText: 'device' }).waitFor();
                assert.deepStrictEqual(await page.locator('dl.cookies dt').allInnerTexts(), ['device']);
            });

            it('shares the login between two tabs: a login or logout in one shows in the other', async () => {
                const device = await example.newDevice();
                const first = await openPage(transport, device);
                const second = await openPage(transport, device);
                await second.getByText('Not signed in').waitFor();

                await logIn(first, 'bob', 'builder');
                await second.getByText('Signed in as Bob').waitFor();

                await second.getByRole('button', { name: 'Log out', exact: true }).click();
                await second.getByText('Not signed in').waitFor();
                await first.getByText('Not signed in').waitFor();
            });

            it(`a login over ${transport === 'ws' ? 'WebSocket' : 'HTTP'} is a login over the other transport too (one HttpOnly cookie)`, async () => {
                const page = await openPage(transport);
                await logIn(page, 'alice', 'wonderland');
                await page.getByRole('button', { name: 'Add Espresso' }).click();
                await waitForText(page, '#cart-count', '1');
                const other = transport === 'ws' ? 'HTTP' : 'WebSocket';
                await page.getByText(other, { exact: true }).click();
                await waitForText(page, '#server', example.apiUrl(transport === 'ws' ? 'http' : 'ws'));
                await page.getByText('Signed in as Alice').waitFor();
                await waitForText(page, '#cart-count', '1');
            });

            storeOnly('lists the devices a user is signed in on, and revokes another one', async () => {
                const laptop = await openPage(transport);
                const phone = await openPage(transport);
                await logIn(laptop, 'alice', 'wonderland');
                await logIn(phone, 'alice', 'wonderland');
                await laptop.getByRole('button', { name: 'Refresh' }).click();
                await laptop.locator('ul.devices li').nth(1).waitFor();
                assert.strictEqual(await laptop.locator('ul.devices li').count(), 2);
                assert.strictEqual(await laptop.getByText('this device').count(), 1);

                await laptop.getByRole('button', { name: 'Revoke' }).click();
                await laptop.locator('ul.devices li').nth(1).waitFor({ state: 'detached' });
                // Over WebSocket the server closes the phone's socket (revoked), and onSessionEnded refreshes the page by itself.
                if (transport === 'http') await phone.getByRole('button', { name: 'Refresh' }).click();
                await phone.getByText('Not signed in').waitFor();
                await laptop.getByText('Signed in as Alice').waitFor();
            });

            storeOnly('shows a wrong password on the page', async () => {
                const page = await openPage(transport);
                await page.getByLabel('Username').fill('alice');
                await page.getByLabel('Password').fill('not-the-password');
                await page.getByRole('button', { name: 'Log in' }).click();
                await waitForText(page, '#notice', 'Wrong username or password');
                assert.ok(await page.getByText('Not signed in').isVisible());
            });

            storeOnly('shows on the page that the server is down', async () => {
                const port = await freePort();
                example.upstreams = { http: { host: '127.0.0.1', port }, ws: { host: '127.0.0.1', port } };
                const page = await openPage(transport);
                await page.locator('#notice').waitFor();
                assert.strictEqual(await page.locator('#notice').innerText(), `Cannot reach the server at ${example.apiUrl(transport)}. Is it running?`);
            });
        });
    }

    /**
     * Opens the page (served with the test's API addresses), in a new device unless given one; over
     * WS it goes through the page's switch, which a reload keeps.
     */
    async function openPage(transport: PageTransport, device?: BrowserContext): Promise<Page> {
        const page = await (device ?? await example.newDevice()).newPage();
        await page.goto(`${example.served.web.origin}/`);
        await page.getByRole('heading', { name: 'Account' }).waitFor();
        if (transport === 'ws') {
            await page.getByText('WebSocket', { exact: true }).click();
            await waitForText(page, '#server', example.apiUrl('ws'));
        }
        return page;
    }
});

/**
 * The session is the browser's HttpOnly cookie for the page's origin: nothing of it in
 * localStorage, and the page says so.
 */
async function assertSessionOnlyInHttpOnlyCookie(page: Page, shape: RegExp): Promise<void> {
    const [cookie, ...others] = await page.context().cookies();
    assert.deepStrictEqual(others, []);
    assert.deepStrictEqual({ name: cookie.name, httpOnly: cookie.httpOnly, sameSite: cookie.sameSite }, { name: '__Host-sid', httpOnly: true, sameSite: 'Lax' });
    assert.match(cookie.value, shape);
    const [stored, documentCookie] = await page.evaluate(() => [JSON.stringify(Object.entries(localStorage)), document.cookie]);
    assert.strictEqual(documentCookie, '');
    assert.ok(!stored.includes(cookie.value.split('.')[0]), 'no script-readable storage holds the id');
    // The one app cookie is the login throttling's device cookie (issue 22 item 3).
    await page.locator('dl.cookies dt', { hasText: 'device' }).waitFor();
    assert.deepStrictEqual(await page.locator('dl.cookies dt').allInnerTexts(), ['device']);
    assert.ok(!(await page.content()).includes(cookie.value.slice(0, 8)), 'nothing of the id on the page');
}
