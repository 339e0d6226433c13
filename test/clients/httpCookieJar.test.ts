/**
 * enableCookies with carrier 'httpCookie' (issue 13): the jar keeps app cookies only, never the
 * session cookie, whatever the server answers; and the options are checked when the jar is
 * installed, not at the first call.
 */
import assert from 'assert';
import { HttpClient, WsClient } from 'tsrpc';
import { CookieJar, enableCookies, EnableCookiesOptions, MemoryStorage } from 'tsrpc-session/client';
import { serviceProto, ServiceType } from '../protocols/serviceProto';
import { SessionTestServer, startSessionServer } from '../helpers/sessionServer';
import { settlesWithin } from '../helpers/storages';
import { silentLogger, Transport, TRANSPORTS } from '../helpers/transports';

const EXCHANGE_URL = 'http://127.0.0.1/__session';

for (const transport of TRANSPORTS) {
    describe(`carrier 'httpCookie' on a client over ${transport}: the jar holds app cookies only`, () => {
        let env: SessionTestServer;
        const sockets: WsClient<ServiceType>[] = [];
        afterEach(async () => {
            await Promise.all(sockets.splice(0).map(ws => ws.disconnect()));
            await env.stop();
        });

        async function client(options: Partial<EnableCookiesOptions>): Promise<{ client: HttpClient<ServiceType> | WsClient<ServiceType>; jar: CookieJar }> {
            return connected(transport, env.url, options, sockets);
        }

        it('drops the session cookie a body-carrier server answers, keeps app cookies, sends no session', async () => {
            env = await startSessionServer(transport);
            const storage = new MemoryStorage();
            const page = await client({ storage, carrier: 'httpCookie' });
            const write = await settlesWithin(page.client.callApi('SessionSet', { key: 'k', value: 'v' }), 3000, 'SessionSet');
            assert.deepStrictEqual(write, { isSucc: true, res: {} }, 'no __cookie left for the app');
            assert.ok((await page.client.callApi('CookieSet', { name: 'theme', value: 'dark' })).isSucc);

            assert.deepStrictEqual(await page.jar.getAll(), { theme: 'dark' });
            assert.deepStrictEqual((await page.client.callApi('CookieGetAll', {})).res?.cookies, { theme: 'dark' });
            assert.deepStrictEqual((await page.client.callApi('SessionGet', { key: 'k' })).res, {}, 'no session went with the call');
        });

        it('never sends a session cookie the jar held from before (a body-mode client of the same storage)', async () => {
            env = await startSessionServer(transport);
            const storage = new MemoryStorage();
            const before = await client({ storage });
            await before.client.callApi('SessionSet', { key: 'k', value: 'from body mode' });
            await before.client.callApi('CookieSet', { name: 'lang', value: 'en' });
            assert.ok(await before.jar.get('sid'));

            const page = await client({ storage, carrier: 'httpCookie' });
            assert.deepStrictEqual((await page.client.callApi('CookieGetAll', {})).res?.cookies, { lang: 'en' });
            assert.deepStrictEqual((await page.client.callApi('SessionGet', { key: 'k' })).res, {});
        });

        it('sessionCookieName names the server\'s cookieName: that one is dropped, a cookie called sid is an app cookie', async () => {
            env = await startSessionServer(transport, { cookieName: 'app.sid' });
            const page = await client({ storage: new MemoryStorage(), carrier: 'httpCookie', sessionCookieName: 'app.sid' });
            await page.client.callApi('SessionSet', { key: 'k', value: 'v' });
            await page.client.callApi('CookieSet', { name: 'sid', value: 'an app value' });
            assert.deepStrictEqual(await page.jar.getAll(), { sid: 'an app value' });
        });
    });
}

describe('enableCookies options are checked when the jar is installed', () => {
    const http = () => new HttpClient(serviceProto, { server: 'http://127.0.0.1:1', logger: silentLogger });
    const ws = () => new WsClient(serviceProto, { server: 'ws://127.0.0.1:1', logger: silentLogger });

    it('a WebSocket client in httpCookie mode needs exchangeUrl; an HTTP client does not', () => {
        assert.throws(() => enableCookies(ws(), { carrier: 'httpCookie' }), {
            name: 'TypeError', message: /^tsrpc-session: enableCookies a WebSocket client with carrier 'httpCookie' needs exchangeUrl/,
        });
        assert.ok(enableCookies(ws(), { carrier: 'httpCookie', exchangeUrl: '/api/__session' }) instanceof CookieJar);
        assert.ok(enableCookies(http(), { carrier: 'httpCookie' }) instanceof CookieJar);
    });

    it('redeeming tickets needs fetch', () => {
        const globals = globalThis as { fetch?: unknown };
        const fetch = globals.fetch;
        delete globals.fetch;
        try {
            assert.throws(() => enableCookies(ws(), { carrier: 'httpCookie', exchangeUrl: EXCHANGE_URL }), {
                name: 'TypeError', message: /^tsrpc-session: enableCookies carrier 'httpCookie' redeems session tickets with fetch\(\)/,
            });
            assert.ok(enableCookies(http(), { carrier: 'httpCookie' }) instanceof CookieJar, 'an HTTP client redeems nothing');
            assert.ok(enableCookies(ws(), {}) instanceof CookieJar, 'nor does body mode');
        } finally {
            globals.fetch = fetch;
        }
    });

    const invalid: [string, Partial<EnableCookiesOptions>, RegExp][] = [
        ['an unknown carrier', { carrier: 'header' as 'body' }, /carrier must be 'body' or 'httpCookie', not 'header'/],
        ['a session cookie name that is no cookie name', { sessionCookieName: 'my sid' }, /sessionCookieName 'my sid' is not a cookie name/],
        ['exchangeUrl in body mode', { exchangeUrl: EXCHANGE_URL }, /exchangeUrl only applies to carrier 'httpCookie'/],
        ['an empty exchangeUrl', { carrier: 'httpCookie', exchangeUrl: '' }, /exchangeUrl must be a non-empty URL/],
        ['a timeout that is not positive', { carrier: 'httpCookie', exchangeUrl: EXCHANGE_URL, exchangeTimeoutMs: 0 }, /exchangeTimeoutMs must be a positive number/],
        ['onSessionEnded that is no function', { onSessionEnded: 'reload' as unknown as () => void }, /onSessionEnded must be a function/],
        ['a clock that is no function', { now: 0 as unknown as () => number }, /now must be a function/],
    ];
    for (const [what, options, message] of invalid) {
        it(`refuses ${what}`, () => {
            assert.throws(() => enableCookies(ws(), options), { name: 'TypeError', message: new RegExp(`^tsrpc-session: enableCookies ${message.source}`) });
        });
    }
});

async function connected(transport: Transport, url: string, options: Partial<EnableCookiesOptions>, sockets: WsClient<ServiceType>[]) {
    const common = { server: url, json: transport === 'http-json', logger: silentLogger };
    if (transport !== 'ws') {
        const client = new HttpClient(serviceProto, common);
        return { client, jar: enableCookies(client, options) };
    }
    const client = new WsClient(serviceProto, common);
    sockets.push(client);
    const jar = enableCookies(client, { exchangeUrl: options.carrier === 'httpCookie' ? EXCHANGE_URL : undefined, ...options });
    assert.ok((await client.connect()).isSucc);
    return { client, jar };
}
