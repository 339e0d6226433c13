import assert from 'assert';
import { postJson } from '../helpers/rawCalls';
import { ExampleTestApp, startExampleApp } from '../helpers/exampleApp';
import { TestClock } from '../helpers/testClock';
import { SharedStore, STORE_FACTORIES } from '../stores/storeFactories';

const ALICE = { username: 'alice', password: 'wonderland' };
/** The example's user id of alice. */
const ALICE_ID = 'u1';
const RENEW_AFTER_MS = 60_000;
const GRACE_MS = 10_000;
const PARALLEL = 50;
const TRIALS = 20;

for (const factory of STORE_FACTORIES.filter(f => f.name !== 'mongo' || process.env.MONGODB_URI)) {
    describe(`id renewal under attack on the ${factory.name} store`, function () {
        this.timeout(120_000);
        let shared: SharedStore;
        let env: ExampleTestApp;
        let clock: TestClock;
        beforeEach(async () => {
            shared = await factory.make();
            clock = new TestClock();
            env = await startExampleApp({ store: shared.store, renewIdAfterMs: RENEW_AFTER_MS, renewGraceMs: GRACE_MS, touchAfterMs: 0, now: clock.now });
        });
        afterEach(async () => {
            await env.stop();
            await shared.cleanup();
        });

        /** A fresh login of alice; returns its signed session id. */
        async function login(): Promise<string> {
            const ret = await postJson(env.urls.http, 'Login', ALICE);
            assert.ok(ret.isSucc, JSON.stringify(ret));
            return ret.res.__cookie.sid.value;
        }

        const getMe = (sid: string) => postJson(env.urls.http, 'GetMe', { __cookie: { sid } });
        const answersAsAlice = async (sid: string) => (await getMe(sid)).res?.user?.name === 'Alice';
        const liveSessions = async () => (await env.app.sessions.listSessions(ALICE_ID)).length;
        /** The session ids handed out in these answers. */
        const issuedIds = (rets: { res?: any; err?: any }[]) => new Set(rets.map(r => (r.res ?? r.err)?.__cookie?.sid?.value).filter(v => typeof v === 'string'));

        it(`${PARALLEL} parallel calls with one due id: one successor, one live session (${TRIALS} trials)`, async () => {
            for (let trial = 0; trial < TRIALS; trial++) {
                await env.app.sessions.revokeSessions(ALICE_ID);
                const sid = await login();
                await clock.advance(RENEW_AFTER_MS + 1);
                const rets = await Promise.all(Array.from({ length: PARALLEL }, () => getMe(sid)));
                assert.ok(rets.every(r => r.isSucc && r.res.user?.name === 'Alice'), `trial ${trial}: every caller is alice`);
                const issued = issuedIds(rets);
                assert.strictEqual(issued.size, 1, `trial ${trial}: distinct new ids`);
                assert.strictEqual(await liveSessions(), 1, `trial ${trial}: live sessions of alice`);
                const [successor] = issued;
                assert.ok(await answersAsAlice(successor), `trial ${trial}: the successor answers`);
            }
        });

        it(`LogoutOthers racing ${PARALLEL} calls with the other device's due id leaves only the caller (${TRIALS} trials)`, async () => {
            for (let trial = 0; trial < TRIALS; trial++) {
                await env.app.sessions.revokeSessions(ALICE_ID);
                const laptop = await login();
                const phone = await login();
                await clock.advance(RENEW_AFTER_MS + 1);
                // The revocation lands amid the phone's calls: some read the session before it, some after.
                const before = Array.from({ length: PARALLEL / 2 }, () => getMe(phone));
                const logoutCall = postJson(env.urls.http, 'LogoutOthers', { __cookie: { sid: laptop } });
                const after = Array.from({ length: PARALLEL / 2 }, () => getMe(phone));
                const [logout, ...rets] = await Promise.all([logoutCall, ...before, ...after]);
                assert.ok(logout.isSucc, JSON.stringify(logout));
                assert.strictEqual(await liveSessions(), 1, `trial ${trial}: live sessions of alice`);
                assert.strictEqual(await answersAsAlice(phone), false, `trial ${trial}: the revoked id`);
                for (const id of issuedIds(rets)) assert.strictEqual(await answersAsAlice(id), false, `trial ${trial}: an id issued to the revoked device`);
                const laptopNow = issuedIds([logout]).values().next().value ?? laptop;
                assert.ok(await answersAsAlice(laptopNow), `trial ${trial}: the caller stays logged in`);
            }
        });

        it(`LogoutOthers amid ${PARALLEL} parallel calls with its own due id: one live session, the caller's (${TRIALS} trials)`, async () => {
            for (let trial = 0; trial < TRIALS; trial++) {
                await env.app.sessions.revokeSessions(ALICE_ID);
                const sid = await login();
                await login();
                await clock.advance(RENEW_AFTER_MS + 1);
                const before = Array.from({ length: PARALLEL / 2 }, () => getMe(sid));
                const logoutCall = postJson(env.urls.http, 'LogoutOthers', { __cookie: { sid } });
                const after = Array.from({ length: PARALLEL / 2 }, () => getMe(sid));
                const rets = await Promise.all([logoutCall, ...before, ...after]);
                assert.ok(rets.every(r => r.isSucc), `trial ${trial}: every call succeeds`);
                const issued = issuedIds(rets);
                assert.strictEqual(issued.size, 1, `trial ${trial}: distinct new ids`);
                assert.strictEqual(await liveSessions(), 1, `trial ${trial}: live sessions of alice`);
                const [successor] = issued;
                assert.ok(await answersAsAlice(successor), `trial ${trial}: the caller stays logged in`);
            }
        });

        it('Logout carrying the pre-renewal id inside the grace window also ends the renewed session', async () => {
            const sid = await login();
            await clock.advance(RENEW_AFTER_MS + 1);
            const renewing = await getMe(sid);
            const [renewed] = issuedIds([renewing]);
            assert.ok(renewed && renewed !== sid, 'the id was renewed');
            const logout = await postJson(env.urls.http, 'Logout', { __cookie: { sid } });
            assert.deepStrictEqual(logout, { isSucc: true, res: { __cookie: { sid: { value: null } } } });
            assert.strictEqual(await answersAsAlice(renewed), false, 'the renewed id inside the window');
            assert.strictEqual(await liveSessions(), 0);
            await clock.advance(GRACE_MS + 1);
            assert.strictEqual(await answersAsAlice(renewed), false, 'the renewed id after the window');
            assert.strictEqual(await answersAsAlice(sid), false, 'the old id after the window');
        });
    });
}
