import assert from 'assert';
import type { SessionStore } from '../SessionStore';
import type { TestHarness } from './harness';
import { activityAt, newKey, recordAt } from './fixtures';

/** A summary as the test expects it: a store may report a missing label as undefined or leave it out. */
function withoutAbsentLabel<T extends { label?: string }>(summary: T): T {
    const { label, ...rest } = summary;
    return (label === undefined ? rest : summary) as T;
}

/** The device-management part of the contract: the user index, listByUser, destroyByUser. */
export function describeUserIndexContract(t: TestHarness, ctx: { store: SessionStore; t0: number }): void {
    const keysOf = async (userId: string, now = ctx.t0) => (await ctx.store.listByUser(userId, now)).map(s => s.key).sort();
    /** Unique per test, so stores shared by several tests (and runs) never mix users. */
    const user = (name: string) => `${name}-${ctx.t0}-${process.pid}`;

    t.describe('user index', () => {
        t.it('lists a user\'s live sessions with times and label, without data', async () => {
            const [a, b, c] = [newKey(user('u1')), newKey(user('u1')), newKey(user('u2'))];
            await ctx.store.create(a, recordAt(ctx.t0, { secret: 1 }, { userId: user('u1'), label: 'phone' }));
            await ctx.store.create(b, recordAt(ctx.t0, {}, { userId: user('u1') }));
            await ctx.store.create(c, recordAt(ctx.t0, {}, { userId: user('u2') }));
            const listed = (await ctx.store.listByUser(user('u1'), ctx.t0)).sort((x, y) => x.key.localeCompare(y.key));
            const expected = [
                { key: a, ...recordAt(ctx.t0), label: 'phone' },
                { key: b, ...recordAt(ctx.t0) },
            ].map(({ v, data, ...summary }) => summary).sort((x, y) => x.key.localeCompare(y.key));
            assert.deepStrictEqual(listed.map(withoutAbsentLabel), expected);
            assert.deepStrictEqual(await keysOf(user('u2')), [c]);
            assert.deepStrictEqual(await keysOf(user('nobody')), []);
        });

        t.it('leaves out expired and destroyed sessions', async () => {
            const [live, idle, gone] = [newKey(user('u1')), newKey(user('u1')), newKey(user('u1'))];
            await ctx.store.create(live, recordAt(ctx.t0, {}, { userId: user('u1') }));
            await ctx.store.create(idle, recordAt(ctx.t0 - 50_000, {}, { userId: user('u1') }));
            await ctx.store.create(gone, recordAt(ctx.t0, {}, { userId: user('u1') }));
            await ctx.store.destroy(gone);
            assert.deepStrictEqual(await keysOf(user('u1'), ctx.t0 + 20_000), [live]);
        });

        t.it('moves the session when update changes the user, and drops it for null', async () => {
            const key = newKey(user('u1'));
            await ctx.store.create(key, recordAt(ctx.t0, {}, { userId: user('u1') }));
            if (ctx.store.placesByUser) {
                // Keeps a user's sessions in the user's slot: the plugin moves a session to a new id first.
                await assert.rejects(ctx.store.update(key, { set: { userId: user('u2') }, unset: [] }, activityAt(ctx.t0, user('u2'))), /user's slot/);
                await ctx.store.update(key, { set: {}, unset: ['userId'] }, activityAt(ctx.t0, null));
                assert.deepStrictEqual(await keysOf(user('u1')), []);
                return;
            }
            await ctx.store.update(key, { set: { userId: user('u2') }, unset: [] }, activityAt(ctx.t0, user('u2')));
            assert.deepStrictEqual(await keysOf(user('u1')), []);
            assert.deepStrictEqual(await keysOf(user('u2')), [key]);
            assert.strictEqual((await ctx.store.load(key, ctx.t0))?.userId, user('u2'));

            await ctx.store.update(key, { set: { other: 1 }, unset: [] }, activityAt(ctx.t0));
            assert.deepStrictEqual(await keysOf(user('u2')), [key], 'an absent userId leaves the index alone');

            await ctx.store.update(key, { set: {}, unset: ['userId'] }, activityAt(ctx.t0, null));
            assert.deepStrictEqual(await keysOf(user('u2')), []);
            assert.strictEqual((await ctx.store.load(key, ctx.t0))?.userId, undefined);
        });

        t.it('indexes a session through compareAndSet and touch too', async () => {
            const [viaCas, viaTouch] = [newKey(user('u1')), newKey(user('u1'))];
            await ctx.store.create(viaCas, recordAt(ctx.t0));
            await ctx.store.create(viaTouch, recordAt(ctx.t0));
            assert.strictEqual(await ctx.store.compareAndSet(viaCas, 'userId', undefined, user('u1'), activityAt(ctx.t0, user('u1'))), 'ok');
            assert.strictEqual(await ctx.store.touch(viaTouch, activityAt(ctx.t0, user('u1'))), true);
            assert.deepStrictEqual(await keysOf(user('u1')), [viaCas, viaTouch].sort());
        });

        t.it('a rejected update never indexes a dead session', async () => {
            const key = newKey(user('u1'));
            await ctx.store.create(key, recordAt(ctx.t0));
            await ctx.store.destroy(key);
            await ctx.store.update(key, { set: { userId: user('u1') }, unset: [] }, activityAt(ctx.t0, user('u1')));
            assert.deepStrictEqual(await keysOf(user('u1')), []);
        });

        t.it('destroyByUser ends every session of the user but the one kept, and answers their keys', async () => {
            const [a, b, keep, other] = [newKey(user('u1')), newKey(user('u1')), newKey(user('u1')), newKey(user('u2'))];
            for (const key of [a, b, keep]) await ctx.store.create(key, recordAt(ctx.t0, { n: 1 }, { userId: user('u1') }));
            await ctx.store.create(other, recordAt(ctx.t0, { n: 1 }, { userId: user('u2') }));
            const destroyed = await ctx.store.destroyByUser(user('u1'), keep);
            assert.deepStrictEqual([...destroyed].sort(), [a, b].sort());
            assert.strictEqual(await ctx.store.load(a, ctx.t0), undefined);
            assert.strictEqual(await ctx.store.load(b, ctx.t0), undefined);
            assert.ok(await ctx.store.load(keep, ctx.t0));
            assert.ok(await ctx.store.load(other, ctx.t0));
            assert.deepStrictEqual(await keysOf(user('u1')), [keep]);
            assert.deepStrictEqual(await ctx.store.destroyByUser(user('u1'), keep), []);
            assert.deepStrictEqual([...await ctx.store.destroyByUser(user('u1'))], [keep]);
            assert.deepStrictEqual(await keysOf(user('u1')), []);
            assert.deepStrictEqual(await ctx.store.destroyByUser(user('nobody')), []);
        });

        t.it('destroyByUser leaves a session that moved to another user', async () => {
            const key = newKey(user('u1'));
            await ctx.store.create(key, recordAt(ctx.t0, {}, { userId: user('u1') }));
            // A store that places sessions by user never moves one to another user (see above).
            if (ctx.store.placesByUser) return;
            await ctx.store.update(key, { set: {}, unset: [] }, activityAt(ctx.t0, user('u2')));
            assert.deepStrictEqual(await ctx.store.destroyByUser(user('u1')), []);
            assert.ok(await ctx.store.load(key, ctx.t0));
        });
    });
}
