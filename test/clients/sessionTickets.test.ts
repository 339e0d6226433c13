/**
 * Session tickets redeemed end to end in Node (issue 13): a page's tsrpc-browser WsClient in
 * 'httpCookie' mode against real HttpServer + WsServer sharing one plugin. Node has no browser
 * WebSocket and tsrpc's own Node client cannot set handshake headers, so the page's WebSocket is
 * the `ws` package's, which sends what a browser sends at the upgrade: the page's `Origin`, and
 * the cookie the browser holds for the site. The browser's cookie store is the test's
 * `browserCookie`, filled from the exchange's real `Set-Cookie` answers. The Chromium suite runs
 * the same path in a real browser.
 */
import assert from 'assert';
import { IncomingMessage, ServerResponse } from 'http';
import { createServer, Server, Socket } from 'net';
import { WsClient } from 'tsrpc-browser';
import { enableCookies, EnableCookiesOptions, MemoryStorage } from 'tsrpc-session/client';
import WebSocket from 'ws';
import { serviceProto, ServiceType } from '../protocols/serviceProto';
import { CarrierServers, post, startCarrierServers } from '../carriers/carrierServers';
import { CapturingLogger } from '../helpers/capturingLogger';
import { freePort } from '../helpers/freePort';
import { settlesWithin } from '../helpers/storages';

const SIGNED_SID = /^[\w-]{43}\.[\w-]{43}$/;

/** One answer of the HTTP server, read when the test asks (the response object stays readable). */
interface Exchange {
    url: string | undefined;
    res: ServerResponse;
}

describe('session tickets over a WebSocket in httpCookie mode, redeemed at the real exchange endpoint', () => {
    let env: CarrierServers;
    let exchanges: Exchange[];
    /** The site's cookie as the browser holds it: sent with every WebSocket upgrade. */
    let browserCookie: string | undefined;
    const clients: WsClient<ServiceType>[] = [];
    const globals = globalThis as { WebSocket?: unknown };

    beforeEach(async () => {
        env = await startCarrierServers({ carriers: ['httpCookie', 'body'], httpCookie: { secure: false } });
        exchanges = [];
        browserCookie = undefined;
        env.http.httpServer!.on('request', (req: IncomingMessage, res: ServerResponse) => {
            if (req.url?.endsWith('/__session')) exchanges.push({ url: req.url, res });
        });
        const pageOrigin = `http://${env.wsHost}`;
        globals.WebSocket = class PageWebSocket extends WebSocket {
            constructor(url: string, protocols?: string | string[]) {
                super(url, protocols, { headers: { origin: pageOrigin, ...(browserCookie && { cookie: browserCookie }) } });
            }
        };
    });
    afterEach(async () => {
        await Promise.all(clients.splice(0).map(client => client.disconnect()));
        delete globals.WebSocket;
        await env.stop();
    });

    async function pageClient(options: Partial<EnableCookiesOptions> = {}, logger = new CapturingLogger()) {
        const ws = new WsClient(serviceProto, { server: env.wsUrl, json: true, logger });
        clients.push(ws);
        const storage = new MemoryStorage();
        const jar = enableCookies(ws, { carrier: 'httpCookie', exchangeUrl: `${env.httpUrl}/__session`, storage, ...options });
        assert.ok((await ws.connect()).isSucc);
        return { ws, jar, logger };
    }

    /** The session cookie an exchange answer set, as the browser would store it: `sid=<value>`, or undefined when cleared. */
    function storeAnswer(exchange: Exchange): { value: string; maxAge: string | undefined } {
        assert.strictEqual(exchange.res.statusCode, 200);
        const lines = ([] as string[]).concat(exchange.res.getHeader('set-cookie') as string[] | string);
        assert.strictEqual(lines.length, 1);
        const [pair, ...attributes] = lines[0].split(';').map(part => part.trim());
        assert.ok(pair.startsWith('sid='), lines[0]);
        assert.ok(attributes.includes('HttpOnly'), lines[0]);
        const value = pair.slice('sid='.length);
        const maxAge = attributes.find(a => a.startsWith('Max-Age='))?.slice('Max-Age='.length);
        browserCookie = maxAge === '0' ? undefined : `sid=${value}`;
        return { value, maxAge };
    }

    it('a login over WS reaches the HttpOnly cookie before the call returns; the page sees no ticket and no id; a reload keeps the login; a logout clears it', async () => {
        const page = await pageClient();
        const login = await page.ws.callApi('SessionSet', { key: 'userId', value: 'alice' });
        assert.deepStrictEqual(login, { isSucc: true, res: {} }, 'no __sessionTicket, no __cookie');
        assert.strictEqual(exchanges.length, 1, 'redeemed before callApi returned');
        const cookie = storeAnswer(exchanges[0]);
        assert.match(cookie.value, SIGNED_SID);
        assert.deepStrictEqual(await page.jar.getAll(), {}, 'the jar holds no session id');

        // The cookie the exchange set is the session: over plain HTTP, and at the next handshake.
        const overHttp = await post(env.httpUrl, 'SessionGet', { key: 'userId' }, { cookie: `sid=${cookie.value}` });
        assert.strictEqual(overHttp.body.res.value, 'alice');
        const reloaded = await pageClient();
        assert.deepStrictEqual(await reloaded.ws.callApi('SessionGet', { key: 'userId' }), { isSucc: true, res: { value: 'alice' } });

        const logout = await reloaded.ws.callApi('SessionDestroy', {});
        assert.deepStrictEqual(logout, { isSucc: true, res: {} });
        assert.strictEqual(exchanges.length, 2);
        assert.strictEqual(storeAnswer(exchanges[1]).maxAge, '0', 'the logout\'s ticket clears the cookie');
        const afterLogout = await pageClient();
        assert.deepStrictEqual(await afterLogout.ws.callApi('SessionGet', { key: 'userId' }), { isSucc: true, res: {} });
    });

    it('a logout in another tab closes this socket: onSessionEnded fires once, the next call reconnects and is anonymous', async () => {
        const ended: string[] = [];
        const tab1 = await pageClient({ onSessionEnded: reason => ended.push(reason) });
        await tab1.ws.callApi('SessionSet', { key: 'userId', value: 'alice' });
        storeAnswer(exchanges[0]);
        const tab2 = await pageClient();
        assert.deepStrictEqual(await tab2.ws.callApi('SessionGet', { key: 'userId' }), { isSucc: true, res: { value: 'alice' } });
        const closed = new Promise<void>(resolve => tab1.ws.flows.postDisconnectFlow.push(v => (resolve(), v)));

        assert.deepStrictEqual(await tab2.ws.callApi('SessionDestroy', {}), { isSucc: true, res: {} });
        assert.strictEqual(storeAnswer(exchanges[1]).maxAge, '0');
        await settlesWithin(closed, 3000, 'the close of tab 1');
        assert.deepStrictEqual(await settlesWithin(tab1.ws.callApi('SessionGet', { key: 'userId' }), 3000, 'SessionGet'), { isSucc: true, res: {} });
        assert.ok(tab1.ws.isConnected);
        assert.deepStrictEqual(ended, ['ended']);
    });

    it('a ticket on a failed call (err.__sessionTicket) is redeemed too, and removed from the error', async () => {
        const page = await pageClient();
        const failed = await page.ws.callApi('SessionSet', { key: 'userId', value: 'bob', fail: true });
        assert.strictEqual(failed.err?.code, 'TEST_FAILURE');
        assert.strictEqual((failed.err as unknown as Record<string, unknown>).__sessionTicket, undefined);
        assert.strictEqual(exchanges.length, 1);
        const cookie = storeAnswer(exchanges[0]);
        const overHttp = await post(env.httpUrl, 'SessionGet', { key: 'userId' }, { cookie: `sid=${cookie.value}` });
        assert.strictEqual(overHttp.body.res.value, 'bob');
    });

    it('parallel calls each redeem their own ticket, once, before they return', async () => {
        const page = await pageClient();
        await page.ws.callApi('SessionSet', { key: 'userId', value: 'alice' });
        const regenerated = await Promise.all([1, 2, 3].map(() => page.ws.callApi('SessionRegenerate', { keepData: true })));
        assert.ok(regenerated.every(ret => ret.isSucc), JSON.stringify(regenerated));
        assert.strictEqual(exchanges.length, 4);
        const values = exchanges.map(exchange => storeAnswer(exchange).value);
        assert.strictEqual(new Set(values).size, 4, 'four tickets, four sessions, none redeemed twice');
        // The browser keeps the last Set-Cookie it received; it names a session of alice.
        const overHttp = await post(env.httpUrl, 'SessionGet', { key: 'userId' }, { cookie: browserCookie! });
        assert.strictEqual(overHttp.body.res.value, 'alice');
    });

    it('a redemption the server refuses is logged and never fails the call', async () => {
        const page = await pageClient({ exchangeUrl: `${env.httpUrl}/not-the-exchange` });
        const ret = await settlesWithin(page.ws.callApi('SessionSet', { key: 'userId', value: 'alice' }), 3000, 'SessionSet');
        assert.deepStrictEqual(ret, { isSucc: true, res: {} });
        assert.match(page.logger.text, /\[tsrpc-session\] session ticket not redeemed/);
    });

    describe('an exchange endpoint that never answers', () => {
        let silent: Server;
        const held: Socket[] = [];
        before(async () => {
            silent = createServer(socket => { held.push(socket); });
            await new Promise<void>(resolve => silent.listen(0, '127.0.0.1', resolve));
        });
        after(async () => {
            for (const socket of held) socket.destroy();
            await new Promise(resolve => silent.close(resolve));
        });

        it('holds the call up to exchangeTimeoutMs only', async () => {
            const { port } = silent.address() as { port: number };
            const page = await pageClient({ exchangeUrl: `http://127.0.0.1:${port}/__session`, exchangeTimeoutMs: 200 });
            const ret = await settlesWithin(page.ws.callApi('SessionSet', { key: 'userId', value: 'alice' }), 5000, 'SessionSet');
            assert.deepStrictEqual(ret, { isSucc: true, res: {} });
            assert.match(page.logger.text, /session ticket not redeemed.*abort/is);
        });
    });

    it('an exchange URL nobody listens on is logged and never fails the call', async () => {
        const page = await pageClient({ exchangeUrl: `http://127.0.0.1:${await freePort()}/__session` });
        const ret = await settlesWithin(page.ws.callApi('SessionSet', { key: 'userId', value: 'alice' }), 5000, 'SessionSet');
        assert.deepStrictEqual(ret, { isSucc: true, res: {} });
        assert.match(page.logger.text, /session ticket not redeemed/);
    });
});
