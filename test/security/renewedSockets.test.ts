/**
 * Issue 22 item 8: with renewal on, a logout with the pre-renewal id (inside the grace window, or
 * racing the renewal) ends both ids; the session's WebSockets, which the renewal moved to the new
 * store key, must close too instead of staying open and anonymous.
 */
import assert from 'assert';
import { SESSION_ENDED_REASON } from '../../shared/sessionEnd';
import { CarrierServers, startCarrierServers } from '../carriers/carrierServers';
import { postJson, RawWsJson } from '../helpers/rawCalls';
import { settlesWithin } from '../helpers/storages';
import { SharedStore, STORE_FACTORIES } from '../stores/storeFactories';

const RENEW_AFTER_MS = 60_000;
const GRACE_MS = 10_000;
const TRIALS = 20;

for (const factory of STORE_FACTORIES) {
    for (const logoutOver of ['http', 'ws'] as const) {
        describe(`a logout with the renewed id closes the moved sockets: ${factory.name} store, logout over ${logoutOver}`, function () {
            this.timeout(60_000);
            let shared: SharedStore;
            let env: CarrierServers;
            const sockets: RawWsJson[] = [];
            beforeEach(async () => {
                shared = await factory.make();
                env = await startCarrierServers({ store: shared.store, renewIdAfterMs: RENEW_AFTER_MS, renewGraceMs: GRACE_MS, touchAfterMs: 0 });
            });
            afterEach(async () => {
                await Promise.all(sockets.splice(0).map(s => s.close()));
                await env.stop();
                await shared.cleanup();
            });

            const openSocket = async () => {
                const socket = await RawWsJson.open(env.wsUrl);
                sockets.push(socket);
                return socket;
            };
            const http = (api: string, sid: string, body: object = {}) => postJson(env.httpUrl, api, { ...body, __cookie: { sid } });
            const logout = async (sid: string) => logoutOver === 'http' ? http('SessionDestroy', sid) : (await openSocket()).call('SessionDestroy', { __cookie: { sid } });

            /** A logged-in session with one socket bound to it; the id is due for renewal. */
            async function sessionWithSocket(): Promise<{ sid: string; socket: RawWsJson }> {
                const sid = (await postJson(env.httpUrl, 'SessionSet', { key: 'userId', value: 'alice' })).res.__cookie.sid.value as string;
                const socket = await openSocket();
                assert.strictEqual((await socket.call('SessionGet', { key: 'userId', __cookie: { sid } })).res.value, 'alice');
                await env.clock.advance(RENEW_AFTER_MS + 1);
                return { sid, socket };
            }

            it('inside the grace window', async () => {
                const { sid, socket } = await sessionWithSocket();
                const renewed = await http('SessionGet', sid, { key: 'userId' });
                const successor = renewed.res.__cookie?.sid?.value as string;
                assert.ok(successor && successor !== sid, 'the id was renewed');
                assert.ok((await logout(sid)).isSucc);

                assert.strictEqual(await settlesWithin(socket.closed, 5000, 'the close of the moved socket'), SESSION_ENDED_REASON);
                assert.strictEqual((await http('SessionGet', successor, { key: 'userId' })).res.value, undefined, 'the successor ended too');
            });

            it(`racing the renewal (${TRIALS} trials)`, async () => {
                for (let trial = 0; trial < TRIALS; trial++) {
                    const { sid, socket } = await sessionWithSocket();
                    const [renewal, logoutRet] = await Promise.all([http('SessionGet', sid, { key: 'userId' }), logout(sid)]);
                    assert.ok(renewal.isSucc && logoutRet.isSucc, `trial ${trial}`);
                    assert.strictEqual(await settlesWithin(socket.closed, 5000, `trial ${trial}: the close of the socket`), SESSION_ENDED_REASON, `trial ${trial}`);
                }
            });
        });
    }
}
