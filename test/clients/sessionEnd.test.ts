/**
 * A WebSocket client whose session ends elsewhere (issue 13): the example app's HTTP and WS
 * servers share one plugin, so a logout or revocation over HTTP closes the session's sockets with
 * a session-end reason. The client's jar drops the session, `onSessionEnded` fires once, and the
 * next call reconnects and runs anonymously instead of failing as "WebSocket is not connected".
 */
import assert from 'assert';
import { HttpClient, WsClient } from 'tsrpc';
import { CookieJar, CookieStorage, enableCookies, EnableCookiesOptions, MemoryStorage, SessionEndReason } from 'tsrpc-session/client';
import { serviceProto, ServiceType } from '../../shared/protocols/serviceProto';
import { ExampleTestApp, startExampleApp } from '../helpers/exampleApp';
import { settlesWithin } from '../helpers/storages';
import { silentLogger } from '../helpers/transports';

const BOB = { username: 'bob', password: 'builder' };
/** Tabs of one app share a jar: both clients name it so, whatever server each calls. */
const SHARED_NAMESPACE = 'example-app';

/** The reasons `onSessionEnded` was called with, and each call's arrival. */
class EndLog {
    readonly reasons: SessionEndReason[] = [];
    #waiters: (() => void)[] = [];

    readonly onSessionEnded = (reason: SessionEndReason): void => {
        this.reasons.push(reason);
        for (const wake of this.#waiters.splice(0)) wake();
    };

    /** Resolves once the callback has fired `count` times in all. */
    fired(count = 1): Promise<void> {
        const reached = new Promise<void>(resolve => {
            const check = () => (this.reasons.length >= count ? resolve() : this.#waiters.push(check));
            check();
        });
        return settlesWithin(reached, 3000, `onSessionEnded call #${count}`);
    }
}

describe('a WebSocket client whose session ends elsewhere (onSessionEnded)', () => {
    let app: ExampleTestApp;
    const sockets: WsClient<ServiceType>[] = [];

    beforeEach(async () => { app = await startExampleApp(); });
    afterEach(async () => {
        await Promise.all(sockets.splice(0).map(ws => ws.disconnect()));
        await app.stop();
    });

    async function wsClient(options: Partial<EnableCookiesOptions>): Promise<{ ws: WsClient<ServiceType>; jar: CookieJar }> {
        const ws = new WsClient(serviceProto, { server: app.urls.ws, json: true, logger: silentLogger });
        sockets.push(ws);
        const jar = enableCookies(ws, options);
        assert.ok((await ws.connect()).isSucc);
        return { ws, jar };
    }

    function httpClient(storage: CookieStorage, namespace?: string): { http: HttpClient<ServiceType>; jar: CookieJar } {
        const http = new HttpClient(serviceProto, { server: app.urls.http, json: true, logger: silentLogger });
        return { http, jar: enableCookies(http, { storage, ...(namespace && { namespace }) }) };
    }

    async function logIn(client: HttpClient<ServiceType> | WsClient<ServiceType>): Promise<void> {
        const ret = await client.callApi('Login', BOB);
        assert.ok(ret.isSucc, JSON.stringify(ret));
    }

    async function userOf(client: HttpClient<ServiceType> | WsClient<ServiceType>): Promise<string | undefined> {
        const ret = await settlesWithin(client.callApi('GetMe', {}), 3000, 'GetMe');
        assert.ok(ret.isSucc, `not a network error: ${JSON.stringify(ret)}`);
        return ret.res.user?.id;
    }

    it('a logout over HTTP with the same cookie: the jar drops it, "ended" fires once, the next call is anonymous', async () => {
        const ends = new EndLog();
        const phone = await wsClient({ storage: new MemoryStorage(), onSessionEnded: ends.onSessionEnded });
        await logIn(phone.ws);
        const sid = await phone.jar.get('sid');
        assert.ok(sid);
        const laptop = httpClient(new MemoryStorage());
        await laptop.jar.apply({ sid: { value: sid } }, {});
        assert.strictEqual(await userOf(laptop.http), 'u2', 'the laptop holds the same session');

        assert.deepStrictEqual(await laptop.http.callApi('Logout', {}), { isSucc: true, res: {} });
        await ends.fired();
        assert.strictEqual(await phone.jar.get('sid'), undefined, 'dropped before the callback ran');

        assert.strictEqual(await userOf(phone.ws), undefined);
        assert.ok(phone.ws.isConnected, 'reconnected by the call');
        assert.strictEqual(await userOf(phone.ws), undefined);
        assert.deepStrictEqual(ends.reasons, ['ended']);
    });

    it('a logout in another tab sharing the jar: "ended" fires once, the next call is anonymous', async () => {
        const storage = new MemoryStorage();
        const ends = new EndLog();
        const wsTab = await wsClient({ storage, namespace: SHARED_NAMESPACE, onSessionEnded: ends.onSessionEnded });
        const httpTab = httpClient(storage, SHARED_NAMESPACE);
        await logIn(wsTab.ws);
        assert.strictEqual(await userOf(httpTab.http), 'u2');

        assert.deepStrictEqual(await httpTab.http.callApi('Logout', {}), { isSucc: true, res: {} });
        await ends.fired();
        assert.strictEqual(await userOf(wsTab.ws), undefined);
        assert.deepStrictEqual(ends.reasons, ['ended']);
    });

    it('a revocation (LogoutOthers on another device): "revoked" fires once, the next call is anonymous, the other device stays', async () => {
        const ends = new EndLog();
        const phone = await wsClient({ storage: new MemoryStorage(), onSessionEnded: ends.onSessionEnded });
        await logIn(phone.ws);
        const laptop = httpClient(new MemoryStorage());
        await logIn(laptop.http);

        assert.deepStrictEqual(await laptop.http.callApi('LogoutOthers', {}), { isSucc: true, res: {} });
        await ends.fired();
        assert.strictEqual(await phone.jar.get('sid'), undefined);
        assert.strictEqual(await userOf(phone.ws), undefined);
        assert.strictEqual(await userOf(laptop.http), 'u2');
        assert.deepStrictEqual(ends.reasons, ['revoked']);
    });

    it('revokeSessions on the server: "revoked", and again after the next login and revocation (once per close)', async () => {
        const ends = new EndLog();
        const phone = await wsClient({ storage: new MemoryStorage(), onSessionEnded: ends.onSessionEnded });
        await logIn(phone.ws);
        assert.strictEqual(await app.app.sessions.revokeSessions('u2'), 1);
        await ends.fired(1);
        assert.strictEqual(await userOf(phone.ws), undefined);

        await logIn(phone.ws);
        assert.strictEqual(await userOf(phone.ws), 'u2');
        assert.strictEqual(await app.app.sessions.revokeSessions('u2'), 1);
        await ends.fired(2);
        assert.strictEqual(await userOf(phone.ws), undefined);
        assert.deepStrictEqual(ends.reasons, ['revoked', 'revoked']);
    });

    it('a call made inside onSessionEnded runs, reconnected and anonymous', async () => {
        // Settles with the user the call inside the callback saw.
        let called!: (inside: Promise<string | undefined>) => void;
        const inside = new Promise<string | undefined>(resolve => { called = resolve; });
        const phone = await wsClient({
            storage: new MemoryStorage(),
            onSessionEnded: () => called(userOf(phone.ws)),
        });
        await logIn(phone.ws);
        await app.app.sessions.revokeSessions('u2');
        assert.strictEqual(await settlesWithin(inside, 3000, 'onSessionEnded'), undefined);
    });

    it('a callback that throws changes nothing else', async () => {
        const phone = await wsClient({ storage: new MemoryStorage(), onSessionEnded: () => { throw new Error('app bug'); } });
        await logIn(phone.ws);
        const closed = new Promise<void>(resolve => phone.ws.flows.postDisconnectFlow.push(v => (resolve(), v)));
        await app.app.sessions.revokeSessions('u2');
        await settlesWithin(closed, 3000, 'the close');
        assert.strictEqual(await userOf(phone.ws), undefined);
        assert.strictEqual(await phone.jar.get('sid'), undefined);
    });

    it('never drops a newer login another tab made while the close was on its way', async () => {
        const storage = new MemoryStorage();
        const ends = new EndLog();
        const wsTab = await wsClient({ storage, namespace: SHARED_NAMESPACE, onSessionEnded: ends.onSessionEnded });
        const httpTab = httpClient(storage, SHARED_NAMESPACE);
        await logIn(wsTab.ws);
        // The close reaches the client only once the other tab has logged out and in again.
        let deliver!: () => void;
        const held = new Promise<void>(resolve => { deliver = resolve; });
        wsTab.ws.flows.postDisconnectFlow.nodes.unshift(async v => { await held; return v; });

        await httpTab.http.callApi('Logout', {});
        await logIn(httpTab.http);
        const newer = await httpTab.jar.get('sid');
        assert.ok(newer);
        deliver();
        await ends.fired();

        assert.strictEqual(await wsTab.jar.get('sid'), newer);
        assert.strictEqual(await userOf(wsTab.ws), 'u2', 'the socket\'s next call carries the newer login');
    });

    describe('any other close changes nothing: no callback, no reconnect, the jar untouched', () => {
        async function loggedInPhone() {
            const ends = new EndLog();
            const phone = await wsClient({ storage: new MemoryStorage(), onSessionEnded: ends.onSessionEnded });
            await logIn(phone.ws);
            return { ...phone, ends, sid: await phone.jar.get('sid') };
        }

        async function assertNothingChanged(phone: Awaited<ReturnType<typeof loggedInPhone>>): Promise<void> {
            const ret = await settlesWithin(phone.ws.callApi('GetMe', {}), 3000, 'GetMe');
            assert.strictEqual(ret.err?.code, 'WS_NOT_OPEN', 'TSRPC\'s own answer to a call on a closed socket');
            assert.strictEqual(phone.ws.isConnected, false);
            assert.strictEqual(await phone.jar.get('sid'), phone.sid);
            assert.deepStrictEqual(phone.ends.reasons, []);
            assert.ok((await phone.ws.connect()).isSucc);
            assert.strictEqual(await userOf(phone.ws), 'u2', 'the session is still there');
        }

        it('a manual disconnect, even with a session-end reason', async () => {
            const phone = await loggedInPhone();
            await phone.ws.disconnect(4000, 'tsrpc-session: session ended');
            await assertNothingChanged(phone);
        });

        it('the server closing the socket for another reason', async () => {
            const phone = await loggedInPhone();
            const closed = new Promise<string | undefined>(resolve => phone.ws.flows.postDisconnectFlow.push(v => (resolve(v.reason), v)));
            await Promise.all(app.app.ws.connections.map(conn => conn.close('maintenance')));
            assert.strictEqual(await settlesWithin(closed, 3000, 'the close'), 'maintenance');
            await assertNothingChanged(phone);
        });
    });

    it('a reconnect that fails lets the call fail as TSRPC fails it, without hanging', async () => {
        const ends = new EndLog();
        const phone = await wsClient({ storage: new MemoryStorage(), onSessionEnded: ends.onSessionEnded });
        await logIn(phone.ws);
        await app.app.sessions.revokeSessions('u2');
        await ends.fired();
        await app.app.ws.stop();
        try {
            const ret = await settlesWithin(phone.ws.callApi('GetMe', {}), 5000, 'GetMe');
            assert.strictEqual(ret.isSucc, false);
            assert.strictEqual(ret.err?.code, 'WS_NOT_OPEN');
            assert.strictEqual(phone.ws.isConnected, false);
        } finally {
            // Running again (on a new port), so that afterEach stops it as it stops every app.
            await app.app.ws.start();
        }
    });
});
