/**
 * Issue 22 item 6: a WebSocket call that races a session end elsewhere is answered, never failed
 * with a network error. Two clients share one jar; B logs out (or the session is revoked, here or
 * on another server on the same Redis) while A's call is on the wire: sent before the server
 * learned of the end, or after. Each race is run many times; nothing but message order decides it.
 */
import assert from 'assert';
import { ApiReturn, WsClient } from 'tsrpc';
import { enableCookies, MemoryStorage } from 'tsrpc-session/client';
import { RedisStore } from 'tsrpc-session/stores/redis';
import { serviceProto, ServiceType } from '../../shared/protocols/serviceProto';
import { ExampleTestApp, startExampleApp } from '../helpers/exampleApp';
import { silentLogger } from '../helpers/transports';
import { until } from '../revocation/revocationHelpers';
import { REDIS_URL } from '../stores/redisHelpers';

const BOB = { username: 'bob', password: 'builder' };
const BOB_ID = 'u2';
const RACES = 50;

describe('a WebSocket call racing a session end is answered (issue 22 item 6)', function () {
    this.timeout(120_000);
    const apps: ExampleTestApp[] = [];
    const sockets: WsClient<ServiceType>[] = [];
    const stores: RedisStore[] = [];
    afterEach(async () => {
        await Promise.all(sockets.splice(0).map(ws => ws.disconnect()));
        await Promise.all(apps.splice(0).map(app => app.stop()));
        await Promise.all(stores.splice(0).map(store => store.close()));
    });

    async function tab(app: ExampleTestApp, storage: MemoryStorage): Promise<WsClient<ServiceType>> {
        const ws = new WsClient(serviceProto, { server: app.urls.ws, json: true, logger: silentLogger });
        sockets.push(ws);
        enableCookies(ws, { storage, namespace: 'one-app' });
        assert.ok((await ws.connect()).isSucc);
        return ws;
    }

    /** Bob logged in through A; A and B both bound to the session by a call. */
    async function bothBound(a: WsClient<ServiceType>, b: WsClient<ServiceType>): Promise<void> {
        assert.ok((await a.callApi('Login', BOB)).isSucc);
        for (const ws of [a, b]) assert.strictEqual((await ws.callApi('GetMe', {})).res?.user?.id, BOB_ID);
    }

    /** A's call must be answered: as bob (it ran before the end) or anonymously (after). */
    function assertAnswered(ret: ApiReturn<{ user?: { id: string } }>, race: number): void {
        assert.ok(ret.isSucc, `race ${race}: ${JSON.stringify(ret.isSucc ? ret.res : ret.err)}`);
        assert.ok(ret.res.user === undefined || ret.res.user.id === BOB_ID, `race ${race}`);
    }

    it(`B logs out while A calls, A's call sent just before and just after (${RACES} races each)`, async () => {
        const app = await startExampleApp();
        apps.push(app);
        const storage = new MemoryStorage();
        const [a, b] = [await tab(app, storage), await tab(app, storage)];
        for (let race = 0; race < RACES; race++) {
            await bothBound(a, b);
            const logout = b.callApi('Logout', {});
            const call = race % 2 === 0 ? a.callApi('GetMe', {}) : logout.then(() => a.callApi('GetMe', {}));
            const [loggedOut, answer] = await Promise.all([logout, call]);
            assert.ok(loggedOut.isSucc, `race ${race}: the logout`);
            assertAnswered(answer, race);
        }
    });

    it(`calls in flight on a socket whose session is revoked are answered (${RACES} races)`, async () => {
        const app = await startExampleApp();
        apps.push(app);
        const a = await tab(app, new MemoryStorage());
        for (let race = 0; race < RACES; race++) {
            assert.ok((await a.callApi('Login', BOB)).isSucc);
            const calls = [a.callApi('GetMe', {}), a.callApi('AddToCart', { item: 'tea', quantity: 1 }), a.callApi('GetMe', {})];
            const revoked = app.app.sessions.revokeSessions(BOB_ID);
            const answers = await Promise.all(calls);
            await revoked;
            answers.forEach(ret => assert.ok(ret.isSucc, `race ${race}: ${JSON.stringify(ret.isSucc ? ret.res : ret.err)}`));
        }
    });

    it(`a revocation from another server on the same Redis (${RACES} races)`, async () => {
        const prefix = `end-race-${process.pid}-${Date.now()}:`;
        stores.push(new RedisStore({ url: REDIS_URL, prefix }), new RedisStore({ url: REDIS_URL, prefix }));
        const one = await startExampleApp({ store: stores[0] });
        const two = await startExampleApp({ store: stores[1] });
        apps.push(one, two);
        await until(() => one.app.sessions.revocationChannelState() === 'up' && two.app.sessions.revocationChannelState() === 'up');
        const a = await tab(two, new MemoryStorage());
        for (let race = 0; race < RACES; race++) {
            assert.ok((await a.callApi('Login', BOB)).isSucc);
            const calls = [a.callApi('GetMe', {}), a.callApi('GetMe', {})];
            const revoked = one.app.sessions.revokeSessions(BOB_ID);
            const answers = await Promise.all(calls);
            await revoked;
            answers.forEach(ret => assertAnswered(ret, race));
            assertAnswered(await a.callApi('GetMe', {}), race);
        }
    });
});
