import assert from 'assert';
import { RENEWAL_CHAIN_LIMIT } from '../rules';
import type { SessionStore } from '../SessionStore';
import type { TestHarness } from './harness';
import { activityAt, IDLE_MS, newKey, recordAt, SECOND } from './fixtures';

const GRACE_MS = 10 * SECOND;

/** The renewal part of the contract: renew, pointers, and what destroy and revocation do with them. */
export function describeRenewalContract(t: TestHarness, ctx: { store: SessionStore; t0: number }): void {
    const user = (name: string) => `${name}-${ctx.t0}-${process.pid}`;
    const renewal = (now: number, set: Record<string, unknown> = {}, userId?: string | null) =>
        ({ activity: activityAt(now, userId), changes: { set, unset: [] }, pointerExpiresAt: now + GRACE_MS });

    t.describe('renew', () => {
        t.it('moves the data, times, user and label to the successor, which applies the changes; the old record points to it', async () => {
            const [old, successor] = [newKey(user('r1')), newKey(user('r1'))];
            await ctx.store.create(old, recordAt(ctx.t0, { a: 1, b: 2 }, { userId: user('r1'), label: 'phone' }));
            const now = ctx.t0 + SECOND;
            assert.deepStrictEqual(await ctx.store.renew(old, successor, renewal(now, { b: 3 })), { outcome: 'renewed' });
            const renewed = await ctx.store.load(successor, now);
            assert.deepStrictEqual(renewed, { ...recordAt(ctx.t0, { a: 1, b: 3 }, { userId: user('r1'), label: 'phone' }), lastSeenAt: now, idleExpiresAt: now + IDLE_MS, idIssuedAt: now });
            const pointer = await ctx.store.load(old, now);
            assert.strictEqual(pointer?.successorKey, successor);
            assert.strictEqual(pointer?.idleExpiresAt, now + GRACE_MS);
            assert.strictEqual(await ctx.store.load(old, now + GRACE_MS), undefined, 'the pointer ends with the grace window');
            assert.deepStrictEqual((await ctx.store.listByUser(user('r1'), now)).map(s => s.key), [successor], 'pointers are not devices');
        });

        t.it('has one winner among parallel renewals: the others are told its successor', async () => {
            const old = newKey(user('r2'));
            await ctx.store.create(old, recordAt(ctx.t0, { a: 1 }, { userId: user('r2') }));
            const candidates = Array.from({ length: 20 }, () => newKey(user('r2')));
            const results = await Promise.all(candidates.map(c => ctx.store.renew(old, c, renewal(ctx.t0 + SECOND))));
            const winners = candidates.filter((_, i) => results[i].outcome === 'renewed');
            assert.strictEqual(winners.length, 1);
            assert.ok(results.every(r => r.outcome === 'renewed' || (r.outcome === 'superseded' && r.successorKey === winners[0])));
            assert.strictEqual((await ctx.store.listByUser(user('r2'), ctx.t0 + SECOND)).length, 1);
        });

        t.it('creates nothing for an absent, destroyed or expired record', async () => {
            // One tag for all: a store that places sessions by user renews within a slot.
            const [gone, expired, successor, absent] = [newKey(user('r3')), newKey(user('r3')), newKey(user('r3')), newKey(user('r3'))];
            await ctx.store.create(gone, recordAt(ctx.t0, { a: 1 }, { userId: user('r3') }));
            await ctx.store.destroyByUser(user('r3'));
            await ctx.store.create(expired, recordAt(ctx.t0, { a: 1 }));
            for (const [key, now] of [[absent, ctx.t0], [gone, ctx.t0], [expired, ctx.t0 + IDLE_MS]] as const) {
                assert.deepStrictEqual(await ctx.store.renew(key, successor, renewal(now)), { outcome: 'missing' });
                assert.strictEqual(await ctx.store.load(successor, now), undefined);
            }
        });

        t.it('destroy of a renewed record ends its successor too', async () => {
            const [old, successor] = [newKey(user('r4')), newKey(user('r4'))];
            await ctx.store.create(old, recordAt(ctx.t0, { a: 1 }, { userId: user('r4') }));
            await ctx.store.renew(old, successor, renewal(ctx.t0));
            await ctx.store.destroy(old);
            assert.strictEqual(await ctx.store.load(successor, ctx.t0), undefined);
            assert.deepStrictEqual(await ctx.store.listByUser(user('r4'), ctx.t0), []);
        });

        t.it('destroyByUser ends renewed records and successors, but keeps the session of exceptKey whichever id it is at', async () => {
            const [kept, keptSuccessor, other, otherSuccessor] = [newKey(user('r5')), newKey(user('r5')), newKey(user('r5')), newKey(user('r5'))];
            await ctx.store.create(kept, recordAt(ctx.t0, {}, { userId: user('r5') }));
            await ctx.store.create(other, recordAt(ctx.t0, {}, { userId: user('r5') }));
            await ctx.store.renew(kept, keptSuccessor, renewal(ctx.t0));
            await ctx.store.renew(other, otherSuccessor, renewal(ctx.t0));
            assert.deepStrictEqual(await ctx.store.destroyByUser(user('r5'), kept), [otherSuccessor]);
            for (const key of [other, otherSuccessor]) assert.strictEqual(await ctx.store.load(key, ctx.t0), undefined);
            assert.strictEqual((await ctx.store.load(kept, ctx.t0))?.successorKey, keptSuccessor);
            assert.deepStrictEqual((await ctx.store.listByUser(user('r5'), ctx.t0)).map(s => s.key), [keptSuccessor]);
        });
    });

    t.describe('renewal chain limit', () => {
        /** A record renewed `renewals` times in a row, each renewal from the latest successor: its keys, oldest first. */
        const chain = async (renewals: number, userId: string): Promise<string[]> => {
            const keys = [newKey(userId)];
            await ctx.store.create(keys[0], recordAt(ctx.t0, { a: 1 }, { userId }));
            for (let i = 0; i < renewals; i++) {
                keys.push(newKey(userId));
                assert.deepStrictEqual(await ctx.store.renew(keys[i], keys[i + 1], renewal(ctx.t0)), { outcome: 'renewed' });
            }
            return keys;
        };

        t.it(`destroy follows exactly RENEWAL_CHAIN_LIMIT (${RENEWAL_CHAIN_LIMIT}) successors, as every store and script does`, async () => {
            const keys = await chain(RENEWAL_CHAIN_LIMIT + 1, user('r7'));
            await ctx.store.destroy(keys[0]);
            for (const key of keys.slice(0, -1)) assert.strictEqual(await ctx.store.load(key, ctx.t0), undefined, 'within the limit');
            assert.ok(await ctx.store.load(keys[keys.length - 1], ctx.t0), 'the successor past the limit is not reached');
        });

        t.it(`destroyByUser keeps exceptKey's chain up to RENEWAL_CHAIN_LIMIT (${RENEWAL_CHAIN_LIMIT}) successors`, async () => {
            const keys = await chain(RENEWAL_CHAIN_LIMIT + 1, user('r8'));
            await ctx.store.destroyByUser(user('r8'), keys[0]);
            for (const key of keys.slice(0, -1)) assert.ok(await ctx.store.load(key, ctx.t0), 'kept within the limit');
            assert.strictEqual(await ctx.store.load(keys[keys.length - 1], ctx.t0), undefined, 'past the limit, not known as the kept session');
        });
    });

    t.describe('anonymous idle expiry', () => {
        t.it('records the anonymous idle expiry while the record has no user, the user\'s once it has one', async () => {
            const key = newKey();
            await ctx.store.create(key, recordAt(ctx.t0, { a: 1 }));
            const now = ctx.t0 + SECOND;
            const anonymous = { ...activityAt(now), anonymousIdleExpiresAt: now + 5 * SECOND };
            assert.ok(await ctx.store.touch(key, anonymous));
            assert.strictEqual((await ctx.store.load(key, now))?.idleExpiresAt, now + 5 * SECOND);
            assert.strictEqual(await ctx.store.load(key, now + 5 * SECOND), undefined, 'gone after the anonymous timeout');
            const other = newKey(user('r6'));
            await ctx.store.create(other, recordAt(ctx.t0, { a: 1 }));
            assert.ok(await ctx.store.update(other, { set: { userId: 'u' }, unset: [] }, { ...anonymous, userId: user('r6') }));
            assert.strictEqual((await ctx.store.load(other, now))?.idleExpiresAt, now + IDLE_MS);
        });
    });
}
