import assert from 'assert';
import { BrowserContext, Page, Response } from 'playwright-core';
import { CROSS_SITE_REQUEST } from 'tsrpc-session/server';
import { AttackerServer, startAttackerServer } from '../helpers/attackerServer';
import { logIn, waitForText } from '../helpers/browserPage';
import { useExamplePage } from '../helpers/pageHarness';
import { installPageSpy, spiedTraffic } from '../helpers/pageSpy';
import { decodeWebSocketCalls, encodeBinaryRequest } from '../helpers/tsrpcWire';

type PageTransport = 'http' | 'ws';

/** `__Host-sid=<id>.<signature>` out of a Set-Cookie header, or undefined. */
function signedIdIn(setCookie: string | null | undefined): string | undefined {
    return setCookie ? /(?:^|\n)__Host-sid=([A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{43});/.exec(setCookie)?.[1] : undefined;
}

/**
 * Issue 13, must show: the example in httpCookie mode, in Chromium. The session id lives in an
 * HttpOnly cookie: a login over HTTP or WebSocket survives a reload, no storage and no script of
 * the page ever holds the id, and a page of another origin cannot make the browser change the
 * session with its cookie.
 */
describe('example page in httpCookie mode, in Chromium: the session id is out of every script\'s reach', function () {
    this.timeout(60_000);
    const example = useExamplePage();
    let attacker: AttackerServer | undefined;

    before(async () => {
        attacker = await startAttackerServer();
    });

    after(async () => {
        await attacker?.stop();
    });

    /** `beforeLoad` sees the page before its script runs (and opens its WebSocket). */
    async function openPage(device: BrowserContext, transport: PageTransport, beforeLoad?: (page: Page) => void): Promise<Page> {
        const page = await device.newPage();
        await installPageSpy(page);
        beforeLoad?.(page);
        await page.goto(`${example.served.web.origin}/${transport === 'ws' ? '?transport=ws' : ''}`);
        await page.getByRole('heading', { name: 'Account' }).waitFor();
        return page;
    }

    /** Every Set-Cookie the browser received for the example's origin, as its network stack saw them. */
    function recordSetCookies(page: Page): string[] {
        const headers: string[] = [];
        page.on('response', response => {
            void response.headerValue('set-cookie').then(value => { if (value) headers.push(value); }, () => undefined);
        });
        return headers;
    }

    /** Nothing a script can read holds the signed id, nor the id without its signature. */
    async function assertNoScriptSees(page: Page, signedId: string): Promise<void> {
        const id = signedId.split('.')[0];
        const readable = await page.evaluate(() => ({
            localStorage: JSON.stringify(Object.entries(localStorage)),
            sessionStorage: JSON.stringify(Object.entries(sessionStorage)),
            documentCookie: document.cookie,
        }));
        for (const [where, text] of Object.entries(readable)) assert.ok(!text.includes(id), `${where} holds the session id`);
        assert.strictEqual(readable.documentCookie, '');
        const traffic = await spiedTraffic(page);
        assert.ok(traffic.length > 0, 'the spy saw the page\'s calls');
        const leaks = traffic.filter(line => line.includes(id));
        assert.deepStrictEqual(leaks, [], 'a script wrapping XMLHttpRequest, fetch and WebSocket saw the session id');
    }

    for (const transport of ['http', 'ws'] as const) {
        it(`logs in over ${transport === 'ws' ? 'WebSocket' : 'HTTP'}; a reload keeps the login; no storage, cookie string or wrapped API of the page ever holds the id`, async () => {
            const page = await openPage(await example.newDevice(), transport);
            const setCookies = recordSetCookies(page);
            await logIn(page, 'alice', 'wonderland');
            await page.getByRole('button', { name: 'Add Croissant' }).click();
            await waitForText(page, '#cart-count', '1');

            const signedId = setCookies.map(signedIdIn).find(Boolean);
            assert.ok(signedId, `the server set the session cookie (Set-Cookie seen: ${setCookies.length})`);
            const [cookie] = await page.context().cookies();
            assert.deepStrictEqual(
                { value: cookie.value, httpOnly: cookie.httpOnly, secure: cookie.secure, sameSite: cookie.sameSite, path: cookie.path },
                { value: signedId, httpOnly: true, secure: true, sameSite: 'Lax', path: '/' },
            );
            if (transport === 'ws') assert.ok(example.app.ws.connections.length > 0, 'the page called over its WebSocket');
            await assertNoScriptSees(page, signedId);

            await page.reload();
            await page.getByText('Signed in as Alice').waitFor();
            await waitForText(page, '#cart-count', '1');
            assert.strictEqual(await page.locator('#server').textContent(), example.apiUrl(transport));
            assert.strictEqual((await page.context().cookies())[0].value, signedId, 'the same session after the reload');
            await assertNoScriptSees(page, signedId);
        });
    }

    it('the answer to a login over WebSocket carries a one-time ticket and no id; the page redeems it once for the HttpOnly cookie', async () => {
        const frames = { sent: [] as Uint8Array[], received: [] as Uint8Array[] };
        const page = await openPage(await example.newDevice(), 'ws', loading => loading.on('websocket', socket => {
            socket.on('framesent', frame => { if (typeof frame.payload !== 'string') frames.sent.push(frame.payload); });
            socket.on('framereceived', frame => { if (typeof frame.payload !== 'string') frames.received.push(frame.payload); });
        }));
        const exchanged = page.waitForResponse(response => response.url() === `${example.served.web.origin}/api/__session`);
        await logIn(page, 'alice', 'wonderland');
        const exchange = await exchanged;

        const login = decodeWebSocketCalls(frames.sent, frames.received).find(call => call.name === 'Login');
        assert.ok(login?.ret.isSucc, 'the login was answered over the WebSocket');
        const { __sessionTicket: ticket, ...rest } = login.ret.res;
        assert.deepStrictEqual(rest, { user: { id: 'u1', name: 'Alice' } }, 'no __cookie, nothing but the user and the ticket');
        assert.strictEqual(typeof ticket, 'string');
        assert.deepStrictEqual(JSON.parse(exchange.request().postData() ?? ''), { ticket });

        const signedId = signedIdIn(await exchange.headerValue('set-cookie'));
        assert.ok(signedId, 'the exchange answered with the session cookie');
        assert.ok(!ticket.includes(signedId.split('.')[0]), 'the ticket is not the id');
        assert.deepStrictEqual([exchange.status(), await exchange.json()], [200, { isSucc: true }]);

        // One-time: the same ticket, replayed, sets no cookie.
        const replay = await fetch(`${example.served.web.origin}/api/__session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ ticket }) });
        assert.deepStrictEqual([replay.status, replay.headers.get('set-cookie'), (await replay.json() as { err: { code: string } }).err.code], [400, null, 'SESSION_TICKET_INVALID']);
    });

    describe('a page of another origin (same site, so the Lax cookie rides along) cannot change the session', () => {
        /** A logged-in page with one Espresso in the cart, and the attacker's page in the same browser. */
        async function victim(): Promise<{ page: Page; evil: Page; signedId: string }> {
            const device = await example.newDevice();
            const page = await openPage(device, 'http');
            await logIn(page, 'alice', 'wonderland');
            await page.getByRole('button', { name: 'Add Espresso' }).click();
            await waitForText(page, '#cart-count', '1');
            const evil = await device.newPage();
            await evil.goto(`${attacker!.httpUrl}/`);
            return { page, evil, signedId: (await device.cookies())[0].value };
        }

        /** The login and the cart as the server has them, after a reload of the victim's page. */
        async function assertUnchanged(page: Page, signedId: string): Promise<void> {
            await page.reload();
            await page.getByText('Signed in as Alice').waitFor();
            await waitForText(page, '#cart-count', '1');
            assert.deepStrictEqual(await page.locator('ul.cart li').allInnerTexts(), ['Espresso\n× 1']);
            assert.strictEqual((await page.context().cookies())[0].value, signedId);
        }

        /**
         * The forged request reached the server with the victim's cookie, and was answered 403
         * with no cookie; the answer's body (for a fetch: Chromium shows its own error page in
         * place of a navigation's binary body) names CROSS_SITE_REQUEST.
         */
        async function assertRefused(response: Response, signedId: string, { navigation }: { navigation: boolean }): Promise<void> {
            assert.strictEqual((await response.request().allHeaders()).cookie, `__Host-sid=${signedId}`, 'the browser sent the session cookie');
            assert.strictEqual(response.status(), 403);
            assert.strictEqual(await response.headerValue('set-cookie'), null);
            if (!navigation) assert.ok((await response.body()).includes(Buffer.from(CROSS_SITE_REQUEST)), 'the answer names CROSS_SITE_REQUEST');
        }

        for (const api of ['AddToCart', 'Logout'] as const) {
            it(`a form post to ${api} is refused (403); the cart and the login are unchanged`, async () => {
                const { page, evil, signedId } = await victim();
                const answered = evil.waitForResponse(`${example.served.web.origin}/api/${api}`);
                await evil.setContent(`<form method="POST" enctype="text/plain" action="${example.served.web.origin}/api/${api}">
                    <input name='{"item":"Forged","quantity":9,"x":"' value='"}'></form>`);
                await evil.evaluate(() => document.forms[0].submit());
                await assertRefused(await answered, signedId, { navigation: true });
                await assertUnchanged(page, signedId);
            });

            it(`a fetch to ${api} with TSRPC's binary body is refused (403); the same bytes from the page itself are served`, async () => {
                const { page, evil, signedId } = await victim();
                const body = [...encodeBinaryRequest(api, api === 'AddToCart' ? { item: 'Espresso', quantity: 9 } : {})];
                const url = `${example.served.web.origin}/api/`;
                const answered = evil.waitForResponse(url);
                assert.strictEqual(await evil.evaluate(([bytes, target]) => fetch(target, { method: 'POST', mode: 'no-cors', credentials: 'include', body: new Uint8Array(bytes) }).then(() => 'sent', () => 'failed'), [body, url] as const), 'sent');
                await assertRefused(await answered, signedId, { navigation: false });
                await assertUnchanged(page, signedId);

                // The control: the very request, sent by the page of the example's origin, works.
                assert.strictEqual(await page.evaluate(([bytes, target]) => fetch(target, { method: 'POST', body: new Uint8Array(bytes) }).then(r => String(r.status)), [body, url] as const), '200');
                await page.reload();
                if (api === 'AddToCart') await waitForText(page, '#cart-count', '10');
                else await page.getByText('Not signed in').waitFor();
            });
        }
    });
});
