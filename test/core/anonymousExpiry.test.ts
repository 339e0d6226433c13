import assert from 'assert';
import { SessionIdCodec } from '../../backend/src/session/core/SessionIdCodec';
import { SessionTestServer, startSessionServer, TEST_SECRETS } from '../helpers/sessionServer';
import { TestClock } from '../helpers/testClock';
import { redisClusterNearFactory, SharedStore, STORE_FACTORIES } from '../stores/storeFactories';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const ANONYMOUS_IDLE_MS = MINUTE;

// Not on the cluster: the test reads the store under the session's unplaced key, while the spread layout moves a session into its user's slot on login.
for (const factory of STORE_FACTORIES.filter(f => f !== redisClusterNearFactory)) {
    describe(`anonymousIdleTimeoutMs on the ${factory.name} store`, () => {
        let shared: SharedStore;
        let env: SessionTestServer;
        let clock: TestClock;
        const codec = new SessionIdCodec(TEST_SECRETS);
        beforeEach(async () => {
            shared = await factory.make();
            clock = new TestClock();
            env = await startSessionServer('http-json', {
                store: shared.store, idleTimeoutMs: 30 * MINUTE, anonymousIdleTimeoutMs: ANONYMOUS_IDLE_MS, touchAfterMs: 10 * SECOND, now: clock.now,
            });
        });
        afterEach(async () => {
            await env.stop();
            await shared.cleanup();
        });

        /** A session made by a client of its own; returns its signed id. */
        async function session(data: Record<string, unknown>): Promise<string> {
            const { client, jar } = await env.client();
            for (const [key, value] of Object.entries(data)) assert.ok((await client.callApi('SessionSet', { key, value })).isSucc);
            return (await jar!.get('sid'))!;
        }
        const read = async (sid: string) => {
            const { client } = await env.client(null);
            const ret = await client.callApi('SessionGetAll', { __cookie: { sid } });
            assert.ok(ret.isSucc);
            return ret.res.data;
        };
        /** When the store itself lets the record go (Redis PEXPIREAT and Mongo TTL follow it). */
        const storedIdleExpiry = async (sid: string) => (await shared.store.load(codec.storeKey(codec.verify(sid)!.id), clock.now()))?.idleExpiresAt;

        it('a session without a user ends after the anonymous idle timeout, in the store too', async () => {
            const t0 = clock.now();
            const sid = await session({ cart: ['tea'] });
            assert.strictEqual(await storedIdleExpiry(sid), t0 + ANONYMOUS_IDLE_MS);
            await clock.advance(ANONYMOUS_IDLE_MS - 1);
            assert.deepStrictEqual(await read(sid), { cart: ['tea'] });
            await clock.advance(ANONYMOUS_IDLE_MS);
            assert.deepStrictEqual(await read(sid), {}, 'ended after the anonymous idle timeout');
        });

        it('a session with a user keeps the full idle timeout, from the write that sets the user on', async () => {
            const t0 = clock.now();
            const sid = await session({ userId: 'u1' });
            assert.strictEqual(await storedIdleExpiry(sid), t0 + 30 * MINUTE);
            await clock.advance(5 * MINUTE);
            assert.deepStrictEqual(await read(sid), { userId: 'u1' });

            const upgraded = await session({ cart: ['jam'] });
            await clock.advance(ANONYMOUS_IDLE_MS / 2);
            const { client } = await env.client(null);
            assert.ok((await client.callApi('SessionSet', { key: 'userId', value: 'u2', __cookie: { sid: upgraded } })).isSucc);
            assert.strictEqual(await storedIdleExpiry(upgraded), clock.now() + 30 * MINUTE);
            await clock.advance(5 * MINUTE);
            assert.deepStrictEqual(await read(upgraded), { cart: ['jam'], userId: 'u2' });
        });

        it('a session whose user is removed falls back to the anonymous idle timeout', async () => {
            const sid = await session({ userId: 'u1', cart: ['tea'] });
            const { client } = await env.client(null);
            assert.ok((await client.callApi('SessionUnset', { key: 'userId', __cookie: { sid } })).isSucc);
            assert.strictEqual(await storedIdleExpiry(sid), clock.now() + ANONYMOUS_IDLE_MS);
            await clock.advance(ANONYMOUS_IDLE_MS);
            assert.deepStrictEqual(await read(sid), {});
        });
    });
}
