import assert from 'assert';
import type { SessionStore } from '../SessionStore';
import { globalHarness, TestHarness } from './harness';
import { checkingAnswersAtOnce } from './answersAtOnce';
import { describeRenewalContract } from './renewalContract';
import { describeUserIndexContract } from './userIndexContract';
import { activityAt, IDLE_MS, newKey, recordAt, SECOND } from './fixtures';

/** A fresh store for one test of the contract suite. */
export interface StoreUnderTest {
    store: SessionStore;
    /** Deletes what the test wrote and closes what it opened. */
    cleanup(): Promise<void>;
}

/** Opens a store for one test; called before each test. */
export type MakeStore = () => Promise<StoreUnderTest>;

const VALUES = {
    nested: { a: { b: { c: [1, 2, { d: 'e' }] } } },
    array: [1, 'two', true, null, { three: 3 }],
    unicode: 'héllo 世界 🎉 \u0000 "quotes" \\',
    int: 42,
    negative: -7,
    float: 3.14159,
    maxSafe: Number.MAX_SAFE_INTEGER,
    zero: 0,
    yes: true,
    no: false,
    nothing: null,
    empty: '',
    emptyObject: {},
    emptyArray: [],
};

/**
 * The behaviours of the SessionStore contract, as tests of the caller's framework, run against one
 * store: load and create, expiry at load, update, compareAndSet, touch, no resurrection, the user
 * index and renewal. Under mocha (or Jest, or Vitest with globals) call it at the top level of a test
 * file; with another runner pass its `describe`, `it`, `beforeEach` and `afterEach` as `harness`.
 *
 * @example
 * describeStoreContract('MyStore', async () => {
 *     const store = new MyStore(...);
 *     return { store, cleanup: () => store.close() };
 * });
 */
export function describeStoreContract(name: string, makeStore: MakeStore, harness?: TestHarness): void {
    const t = harness ?? globalHarness();
    t.describe(`SessionStore contract: ${name}`, () => {
        const ctx = {} as { store: SessionStore; t0: number };
        let current: StoreUnderTest | undefined;
        t.beforeEach(async () => {
            current = await makeStore();
            ctx.store = checkingAnswersAtOnce(current.store);
            ctx.t0 = Date.now();
        });
        t.afterEach(async () => {
            await current?.cleanup();
            current = undefined;
        });

        t.describe('load and create', () => {
            t.it('answers undefined for an unknown key', async () => {
                assert.strictEqual(await ctx.store.load(newKey(), ctx.t0), undefined);
            });

            t.it('returns what was created, with version, times, user and label', async () => {
                const key = newKey('u1');
                const record = recordAt(ctx.t0, { a: 1 }, { userId: 'u1', label: 'Chrome on Linux' });
                await ctx.store.create(key, record);
                assert.deepStrictEqual(await ctx.store.load(key, ctx.t0), record);
            });

            t.it('round-trips nested objects, arrays, unicode, numbers, booleans and null', async () => {
                const key = newKey();
                await ctx.store.create(key, recordAt(ctx.t0, VALUES));
                assert.deepStrictEqual((await ctx.store.load(key, ctx.t0))?.data, VALUES);
            });

            t.it('leaves out undefined values', async () => {
                const key = newKey();
                await ctx.store.create(key, recordAt(ctx.t0, { kept: 1, dropped: undefined }));
                assert.deepStrictEqual((await ctx.store.load(key, ctx.t0))?.data, { kept: 1 });
            });

            t.it('hands out copies: changing a loaded value changes nothing stored', async () => {
                const key = newKey();
                await ctx.store.create(key, recordAt(ctx.t0, { list: [1] }));
                const loaded = await ctx.store.load(key, ctx.t0);
                (loaded!.data.list as number[]).push(2);
                assert.deepStrictEqual((await ctx.store.load(key, ctx.t0))?.data, { list: [1] });
            });

            t.it('never lets a key like __proto__ change a prototype', async () => {
                const key = newKey();
                const data = JSON.parse('{"__proto__": {"polluted": true}, "safe": {"__proto__": {"polluted": true}}}');
                await ctx.store.create(key, recordAt(ctx.t0, data));
                await ctx.store.update(key, { set: JSON.parse('{"constructor": {"prototype": {"polluted": true}}}'), unset: [] }, activityAt(ctx.t0));
                const loaded = await ctx.store.load(key, ctx.t0);
                assert.strictEqual(Object.getPrototypeOf(loaded!.data), Object.prototype);
                assert.strictEqual((loaded!.data as { polluted?: unknown }).polluted, undefined);
                assert.strictEqual(({} as { polluted?: unknown }).polluted, undefined);
                assert.deepStrictEqual(loaded!.data.safe, JSON.parse('{"__proto__": {"polluted": true}}'));
            });
        });

        t.describe('expiry at load', () => {
            t.it('does not return a record idle at `now`, though it is still stored', async () => {
                const key = newKey();
                const record = recordAt(ctx.t0);
                await ctx.store.create(key, record);
                assert.ok(await ctx.store.load(key, record.idleExpiresAt - 1), 'live just before');
                assert.strictEqual(await ctx.store.load(key, record.idleExpiresAt), undefined);
            });

            t.it('does not return a record past its absolute timeout, though it is still stored', async () => {
                const key = newKey();
                const record = recordAt(ctx.t0, {}, { absoluteExpiresAt: ctx.t0 + 30 * SECOND });
                await ctx.store.create(key, record);
                assert.ok(await ctx.store.load(key, record.absoluteExpiresAt - 1), 'live just before');
                assert.strictEqual(await ctx.store.load(key, record.absoluteExpiresAt), undefined);
            });
        });

        t.describe('update', () => {
            t.it('writes only the changed keys and keeps the others', async () => {
                const key = newKey();
                await ctx.store.create(key, recordAt(ctx.t0, { a: 1, b: 2, c: 3 }));
                const updated = await ctx.store.update(key, { set: { a: 10, d: { deep: true } }, unset: ['b'] }, activityAt(ctx.t0 + 5));
                assert.strictEqual(updated, true);
                const loaded = await ctx.store.load(key, ctx.t0 + 5);
                assert.deepStrictEqual(loaded?.data, { a: 10, c: 3, d: { deep: true } });
                assert.strictEqual(loaded?.lastSeenAt, ctx.t0 + 5);
                assert.strictEqual(loaded?.idleExpiresAt, ctx.t0 + 5 + IDLE_MS);
                assert.strictEqual(loaded?.createdAt, ctx.t0);
            });

            t.it('treats a key set to undefined as unset', async () => {
                const key = newKey();
                await ctx.store.create(key, recordAt(ctx.t0, { a: 1, b: 2 }));
                await ctx.store.update(key, { set: { a: undefined }, unset: [] }, activityAt(ctx.t0));
                assert.deepStrictEqual((await ctx.store.load(key, ctx.t0))?.data, { b: 2 });
            });

            t.it('keeps every key of parallel updates to different keys', async () => {
                const key = newKey();
                await ctx.store.create(key, recordAt(ctx.t0));
                const results = await Promise.all(Array.from({ length: 50 }, (_, i) =>
                    ctx.store.update(key, { set: { [`k${i}`]: i }, unset: [] }, activityAt(ctx.t0))));
                assert.ok(results.every(Boolean));
                const data = (await ctx.store.load(key, ctx.t0))?.data;
                assert.deepStrictEqual(data, Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, i])));
            });
        });

        t.describe('compareAndSet', () => {
            t.it('sets a field that holds the expected value', async () => {
                const key = newKey();
                await ctx.store.create(key, recordAt(ctx.t0, { cart: [{ item: 'a', n: 1 }], other: 'x' }));
                const { data } = (await ctx.store.load(key, ctx.t0))!;
                assert.strictEqual(await ctx.store.compareAndSet(key, 'cart', data.cart, [{ item: 'b', n: 2 }], activityAt(ctx.t0 + 1)), 'ok');
                const loaded = await ctx.store.load(key, ctx.t0 + 1);
                assert.deepStrictEqual(loaded?.data, { cart: [{ item: 'b', n: 2 }], other: 'x' });
                assert.strictEqual(loaded?.lastSeenAt, ctx.t0 + 1);
            });

            t.it('creates an absent field when expected is undefined', async () => {
                const key = newKey();
                await ctx.store.create(key, recordAt(ctx.t0));
                assert.strictEqual(await ctx.store.compareAndSet(key, 'n', undefined, 1, activityAt(ctx.t0)), 'ok');
                assert.deepStrictEqual((await ctx.store.load(key, ctx.t0))?.data, { n: 1 });
            });

            t.it('removes the field when next is undefined', async () => {
                const key = newKey();
                await ctx.store.create(key, recordAt(ctx.t0, { n: 1, m: 2 }));
                assert.strictEqual(await ctx.store.compareAndSet(key, 'n', 1, undefined, activityAt(ctx.t0)), 'ok');
                assert.deepStrictEqual((await ctx.store.load(key, ctx.t0))?.data, { m: 2 });
            });

            t.it('answers conflict, writing nothing, when the field holds something else', async () => {
                const key = newKey();
                await ctx.store.create(key, recordAt(ctx.t0, { n: 1 }));
                assert.strictEqual(await ctx.store.compareAndSet(key, 'n', 2, 3, activityAt(ctx.t0)), 'conflict');
                assert.strictEqual(await ctx.store.compareAndSet(key, 'n', undefined, 3, activityAt(ctx.t0)), 'conflict');
                assert.strictEqual(await ctx.store.compareAndSet(key, 'absent', 1, 3, activityAt(ctx.t0)), 'conflict');
                assert.deepStrictEqual((await ctx.store.load(key, ctx.t0))?.data, { n: 1 });
            });

            t.it('lets exactly one of parallel swaps from the same value win', async () => {
                const key = newKey();
                await ctx.store.create(key, recordAt(ctx.t0, { n: 0 }));
                const results = await Promise.all(Array.from({ length: 10 }, (_, i) =>
                    ctx.store.compareAndSet(key, 'n', 0, i + 1, activityAt(ctx.t0))));
                assert.strictEqual(results.filter(r => r === 'ok').length, 1);
                assert.strictEqual(results.filter(r => r === 'conflict').length, 9);
            });
        });

        t.describe('touch', () => {
            t.it('records activity and keeps the data', async () => {
                const key = newKey();
                await ctx.store.create(key, recordAt(ctx.t0, { a: 1 }));
                assert.strictEqual(await ctx.store.touch(key, activityAt(ctx.t0 + 7)), true);
                const loaded = await ctx.store.load(key, ctx.t0 + 7);
                assert.deepStrictEqual(loaded?.data, { a: 1 });
                assert.strictEqual(loaded?.lastSeenAt, ctx.t0 + 7);
                assert.strictEqual(loaded?.idleExpiresAt, ctx.t0 + 7 + IDLE_MS);
            });
        });

        t.describe('no resurrection', () => {
            t.it('destroy removes the record, and is a no-op for an unknown key', async () => {
                const key = newKey();
                await ctx.store.create(key, recordAt(ctx.t0, { a: 1 }));
                await ctx.store.destroy(key);
                await ctx.store.destroy(key);
                await ctx.store.destroy(newKey());
                assert.strictEqual(await ctx.store.load(key, ctx.t0), undefined);
            });

            for (const state of ['unknown', 'destroyed'] as const) {
                t.it(`update, touch and compareAndSet on a ${state} record answer false / missing and create nothing`, async () => {
                    const key = newKey('u1');
                    if (state === 'destroyed') {
                        await ctx.store.create(key, recordAt(ctx.t0, { a: 1 }));
                        await ctx.store.destroy(key);
                    }
                    const activity = activityAt(ctx.t0, 'u1');
                    assert.strictEqual(await ctx.store.update(key, { set: { a: 2 }, unset: [] }, activity), false);
                    assert.strictEqual(await ctx.store.touch(key, activity), false);
                    assert.strictEqual(await ctx.store.compareAndSet(key, 'a', undefined, 3, activity), 'missing');
                    assert.strictEqual(await ctx.store.compareAndSet(key, 'a', 1, 3, activity), 'missing');
                    assert.strictEqual(await ctx.store.load(key, ctx.t0), undefined);
                    assert.deepStrictEqual(await ctx.store.listByUser('u1', ctx.t0), []);
                });
            }

            for (const timeout of ['idle', 'absolute'] as const) {
                t.it(`update, touch and compareAndSet on a record past its ${timeout} timeout write nothing`, async () => {
                    const key = newKey();
                    const record = recordAt(ctx.t0, { a: 1 }, timeout === 'absolute' ? { absoluteExpiresAt: ctx.t0 + 30 * SECOND } : {});
                    await ctx.store.create(key, record);
                    const late = activityAt(timeout === 'idle' ? record.idleExpiresAt : record.absoluteExpiresAt);
                    assert.strictEqual(await ctx.store.update(key, { set: { a: 2 }, unset: [] }, late), false);
                    assert.strictEqual(await ctx.store.touch(key, late), false);
                    assert.strictEqual(await ctx.store.compareAndSet(key, 'a', 1, 3, late), 'missing');
                    assert.strictEqual(await ctx.store.load(key, late.now), undefined);
                    // Seen from before the expiry, nothing was extended or changed.
                    const before = await ctx.store.load(key, ctx.t0);
                    if (before) {
                        assert.deepStrictEqual(before.data, { a: 1 });
                        assert.strictEqual(before.idleExpiresAt, record.idleExpiresAt);
                    }
                });
            }

            t.it('a write racing destroy never brings the record back', async () => {
                const key = newKey();
                await ctx.store.create(key, recordAt(ctx.t0, { a: 0 }));
                const writes = Array.from({ length: 20 }, (_, i) => ctx.store.update(key, { set: { [`k${i}`]: i }, unset: [] }, activityAt(ctx.t0)));
                await Promise.all([ctx.store.destroy(key), ...writes]);
                assert.strictEqual(await ctx.store.load(key, ctx.t0), undefined);
            });
        });

        describeUserIndexContract(t, ctx);
        describeRenewalContract(t, ctx);
    });
}
