import assert from 'assert';
import { SessionErrorCode } from 'tsrpc-session/server';
import { RedisStore } from 'tsrpc-session/stores/redis';
import { post, sessionSetCookie } from '../carriers/carrierServers';
import { RawWsJson } from '../helpers/rawCalls';
import { TestClock } from '../helpers/testClock';
import { REDIS_URL, testPrefix } from '../stores/redisHelpers';
import { SealedServers, startSealedServers } from './sealedServers';

const SAME_ORIGIN = { 'sec-fetch-site': 'same-origin' };

/**
 * Issue 24: in sealed mode a WebSocket login's ticket carries the seal, so the HTTP exchange of
 * another server (its own plugin and table, the same secrets) redeems it. One-time needs a store
 * shared by the servers: the deny-list's. Without one, a ticket redeems until its 30 s are up.
 */
describe('sealed sessions: a WebSocket ticket redeems on another server (issue 24)', () => {
    const started: SealedServers[] = [];
    const sockets: RawWsJson[] = [];
    const denyLists: RedisStore[] = [];
    afterEach(async () => {
        await Promise.allSettled(sockets.splice(0).map(s => s.close()));
        await Promise.allSettled(started.splice(0).map(s => s.stop()));
        await Promise.allSettled(denyLists.splice(0).map(d => d.close()));
    });
    /** Two servers of one app: separate plugins and tables, the same secrets, and the same deny-list store when given. */
    const twoServers = async (denyList: () => RedisStore | undefined) => {
        const clock = new TestClock();
        for (let i = 0; i < 2; i++) {
            const store = denyList();
            if (store) denyLists.push(store);
            started.push(await startSealedServers({ carriers: ['httpCookie', 'body'], httpCookie: { secure: false }, sealed: store ? { denyList: store } : {} }, clock));
        }
        return { issuing: started[0]!, other: started[1]!, clock };
    };
    /** A same-origin page's socket on `env` logs in and gets a ticket. */
    const loginTicket = async (env: SealedServers) => {
        const socket = await RawWsJson.open(env.wsUrl, { headers: { origin: `http://${env.wsHost}` } });
        sockets.push(socket);
        const login = await socket.call('SessionSet', { key: 'userId', value: 'alice' });
        assert.strictEqual(login.res.__cookie, undefined, 'the page\'s scripts see no seal');
        return login.res.__sessionTicket as string;
    };

    it('with a shared deny-list (Redis): issued on one server, redeemed on the other, once across both', async () => {
        const prefix = testPrefix('sealed-tickets');
        const { issuing, other } = await twoServers(() => new RedisStore({ url: REDIS_URL, prefix }));
        const ticket = await loginTicket(issuing);
        const exchanged = await post(other.httpUrl, '__session', { ticket }, SAME_ORIGIN);
        assert.strictEqual(exchanged.status, 200);
        const cookie = sessionSetCookie(exchanged)!;
        assert.ok(cookie.attributes.has('httponly'));
        const read = await post(other.httpUrl, 'SessionGet', { key: 'userId' }, { cookie: `sid=${cookie.value}`, ...SAME_ORIGIN });
        assert.strictEqual(read.body.res.value, 'alice', 'the redeeming server never saw the session: the seal carries it');

        for (const env of [issuing, other]) {
            const again = await post(env.httpUrl, '__session', { ticket }, SAME_ORIGIN);
            assert.strictEqual(again.status, 400, 'a replay is refused on either server');
            assert.strictEqual(again.body.err!.code, SessionErrorCode.TicketInvalid);
        }
    });

    it('without a deny-list: redeems on any server with the secrets, not one-time, until its 30 s are up', async () => {
        const { issuing, other, clock } = await twoServers(() => undefined);
        const ticket = await loginTicket(issuing);
        for (const env of [other, other, issuing]) {
            const exchanged = await post(env.httpUrl, '__session', { ticket }, SAME_ORIGIN);
            assert.strictEqual(exchanged.status, 200);
            const read = await post(env.httpUrl, 'SessionGet', { key: 'userId' }, { cookie: `sid=${sessionSetCookie(exchanged)!.value}`, ...SAME_ORIGIN });
            assert.strictEqual(read.body.res.value, 'alice');
        }
        await clock.advance(30_000);
        const late = await post(other.httpUrl, '__session', { ticket }, SAME_ORIGIN);
        assert.strictEqual(late.status, 400, 'expired on the plugin clock');
    });

    it('a server with other secrets refuses the ticket', async () => {
        const { issuing } = await twoServers(() => undefined);
        const stranger = await startSealedServers({ carriers: ['httpCookie', 'body'], httpCookie: { secure: false }, secrets: ['another-secret-0123456789-abcdefghijklmn'] });
        started.push(stranger);
        const ticket = await loginTicket(issuing);
        assert.strictEqual((await post(stranger.httpUrl, '__session', { ticket }, SAME_ORIGIN)).status, 400);
    });
});
