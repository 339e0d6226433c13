import assert from 'assert';
import { SessionRecord } from 'tsrpc-session/stores';
import { SessionIdCodec } from '../../backend/src/session/core/SessionIdCodec';
import { SessionTestServer, startSessionServer, TEST_SECRETS } from '../helpers/sessionServer';
import { TestClock } from '../helpers/testClock';
import { redisClusterNearFactory, SharedStore, STORE_FACTORIES } from './storeFactories';

const MINUTE = 60_000;
const RENEW_AFTER_MS = 10 * MINUTE;

// Not on the cluster: these version-1 records carry a user but no slot tag, which the spread layout refuses (its own tests cover legacy records).
for (const factory of STORE_FACTORIES.filter(f => f !== redisClusterNearFactory)) {
    describe(`records of format version 1 on the ${factory.name} store`, () => {
        let shared: SharedStore;
        let env: SessionTestServer;
        let clock: TestClock;
        const codec = new SessionIdCodec(TEST_SECRETS);
        beforeEach(async () => {
            shared = await factory.make();
            clock = new TestClock();
            env = await startSessionServer('http-json', { store: shared.store, renewIdAfterMs: RENEW_AFTER_MS, touchAfterMs: 0, now: clock.now });
        });
        afterEach(async () => {
            await env.stop();
            await shared.cleanup();
        });

        /** What release 1 stored: its bookkeeping inside the data, written through the store as it did. */
        async function writeV1(id: string, data: Record<string, unknown>, extra: Partial<SessionRecord> = {}): Promise<void> {
            const t0 = clock.now();
            await shared.store.create(codec.storeKey(id), {
                v: 1, data, createdAt: t0, lastSeenAt: t0, idleExpiresAt: t0 + 30 * MINUTE, absoluteExpiresAt: t0 + 24 * 60 * MINUTE, ...extra,
            });
        }

        const getAll = async (id: string) => {
            const { client } = await env.client(null);
            const ret = await client.callApi('SessionGetAll', { __cookie: { sid: codec.sign(id) } });
            assert.ok(ret.isSucc, JSON.stringify(ret));
            return ret.res;
        };

        it('reads a session, hides its bookkeeping, indexes its user and renews it when its id is due', async () => {
            const id = codec.newId();
            await writeV1(id, { userId: 'u1', cart: ['tea'], __tsrpcIdIssuedAt: clock.now() }, { userId: 'u1', label: 'phone' });
            assert.deepStrictEqual(await getAll(id), { id, data: { userId: 'u1', cart: ['tea'] } });
            assert.deepStrictEqual((await env.plugin.listSessions('u1')).map(d => d.label), ['phone']);

            await clock.advance(RENEW_AFTER_MS - 1);
            assert.strictEqual((await getAll(id)).__cookie, undefined, 'not due yet: counted from the id\'s issue time in the data');
            await clock.advance(1);
            const renewing = await getAll(id);
            const renewed = codec.verify(renewing.__cookie?.sid.value)?.id;
            assert.ok(renewed !== undefined && renewed !== id, 'renewed');
            assert.deepStrictEqual(await getAll(renewed), { id: renewed, data: { userId: 'u1', cart: ['tea'] } });
            assert.deepStrictEqual(await getAll(id), { id, data: { userId: 'u1', cart: ['tea'] } }, 'the old id works in the grace window');
        });

        it('follows a renewed id\'s version 1 pointer to its successor', async () => {
            const [old, successor] = [codec.newId(), codec.newId()];
            await writeV1(successor, { cart: ['jam'], __tsrpcIdIssuedAt: clock.now() });
            await writeV1(old, { cart: ['stale'], __tsrpcSuccessor: codec.storeKey(successor) }, { idleExpiresAt: clock.now() + 10_000 });
            assert.deepStrictEqual(await getAll(old), { id: old, data: { cart: ['jam'] } });
        });
    });
}
