import assert from 'assert';
import { CountingStore } from '../../backend/src/session/stores/CountingStore';
import { MemoryStore } from '../../backend/src/session/stores/MemoryStore';
import { GuardedStore } from '../../backend/src/session/guards/GuardedStore';
import { SealedCodec } from '../../backend/src/session/sealed/SealedCodec';
import { sessionMode } from '../../backend/src/session/sealed/sessionMode';
import { SESSION_RECORD_VERSION, SessionActivity, SessionRecord, SessionStore } from '../../backend/src/session/stores/SessionStore';
import { TEST_SECRETS } from '../helpers/sessionServer';
import { TestClock } from '../helpers/testClock';

const MINUTE = 60_000;

/** Sealed mode's codec and table, as enableSession makes them; `denyList` for the mode with one. */
function sealedMode(clock: TestClock, denyList?: SessionStore) {
    const { resolved, codec } = sessionMode({ secrets: TEST_SECRETS, now: clock.now, sealed: { ...(denyList && { denyList }), maxBytes: 1024 } });
    return { store: resolved.store, codec: codec as SealedCodec };
}

/** A session made as the plugin makes one: a minted id, then `create`; returns its id and store key. */
async function created(store: SessionStore, codec: SealedCodec, now: number, data: Record<string, unknown>): Promise<{ id: string; key: string }> {
    const id = codec.newId();
    const key = codec.storeKey(id);
    const record: SessionRecord = { v: SESSION_RECORD_VERSION, data, createdAt: now, lastSeenAt: now, idleExpiresAt: now + 30 * MINUTE, absoluteExpiresAt: now + 60 * MINUTE };
    await store.create(key, record);
    return { id, key };
}

const activity = (now: number): SessionActivity => ({ now, lastSeenAt: now, idleExpiresAt: now + 30 * MINUTE });

/** What a seal holds, opened by a codec that never saw it (another server with the same secrets). */
function opened(clock: TestClock, seal: string): Record<string, unknown> | undefined {
    const { store, codec } = sealedMode(clock);
    const verified = codec.verify(seal);
    return verified && store.loadCached!(codec.storeKey(verified.id), clock.now())?.data;
}

describe('sealed mode: a write done at once (updateNow, issue 24)', () => {
    it('seals the new state before it returns, with no promise; false for a session it does not hold', async () => {
        const clock = new TestClock();
        const { store, codec } = sealedMode(clock);
        const { id, key } = await created(store, codec, clock.now(), { n: 1 });
        const before = codec.sign(id);
        assert.strictEqual(store.updateNow!(key, { set: { n: 2 }, unset: [] }, activity(clock.now())), true);
        const after = codec.sign(id);
        assert.notStrictEqual(after, before);
        assert.deepStrictEqual(opened(clock, after), { n: 2 });
        assert.strictEqual(store.updateNow!(codec.storeKey(codec.newId()), { set: { n: 3 }, unset: [] }, activity(clock.now())), false);
    });

    it('with a deny-list to ask first, declines (undefined) and writes nothing: the plugin takes update()', async () => {
        const clock = new TestClock();
        const { store, codec } = sealedMode(clock, new MemoryStore());
        const { id, key } = await created(store, codec, clock.now(), { n: 1 });
        const seal = codec.sign(id);
        assert.strictEqual(store.updateNow!(key, { set: { n: 2 }, unset: [] }, activity(clock.now())), undefined);
        assert.strictEqual(codec.sign(id), seal);
    });

    it('counts as one update (CountingStore), and through the guard a seal too large is the TSRPC error naming the key', async () => {
        const clock = new TestClock();
        const { store, codec } = sealedMode(clock);
        const { id, key } = await created(store, codec, clock.now(), { n: 1 });
        const counting = new CountingStore(store);
        assert.strictEqual(counting.updateNow(key, { set: { n: 2 }, unset: [] }, activity(clock.now())), true);
        assert.deepStrictEqual(Object.entries(counting.counts).filter(([, n]) => n > 0), [['update', 1]]);
        const guarded = new GuardedStore(counting, 1000);
        const seal = codec.sign(id);
        assert.throws(() => guarded.updateNow(key, { set: { big: 'x'.repeat(2000) }, unset: [] }, activity(clock.now())),
            (e: { code?: string; message: string }) => e.code === 'SESSION_SEALED_TOO_LARGE' && e.message.includes('big'));
        assert.strictEqual(codec.sign(id), seal, 'the session stays as it was');
    });
});
