import assert from 'assert';
import { MemoryStore } from 'tsrpc-session/server';
import { describeStoreContract, SessionRecord } from 'tsrpc-session/stores';
import { memoryFactory } from './storeFactories';

function record(now: number, data: Record<string, unknown> = {}, lifetimeMs = 60_000): SessionRecord {
    return { v: 1, data, createdAt: now, lastSeenAt: now, idleExpiresAt: now + lifetimeMs, absoluteExpiresAt: now + lifetimeMs };
}

describeStoreContract('MemoryStore', memoryFactory.make);

describe('MemoryStore bounds', () => {
    it('holds at most maxSessions, dropping the least recently used first', async () => {
        const store = new MemoryStore({ maxSessions: 3 });
        const now = Date.now();
        for (const key of ['a', 'b', 'c']) await store.create(key, record(now));
        await store.load('a', now);
        await store.create('d', record(now));
        assert.strictEqual(store.size, 3);
        assert.strictEqual(await store.load('b', now), undefined);
        for (const key of ['a', 'c', 'd']) assert.ok(await store.load(key, now), key);
    });

    // A read skips the move when its session is already the most recent: a create in between makes it not so.
    it('moves a session read again after others were created to the recent end', async () => {
        const store = new MemoryStore({ maxSessions: 3 });
        const now = Date.now();
        await store.create('a', record(now));
        await store.load('a', now);
        await store.create('b', record(now));
        await store.create('c', record(now));
        await store.load('a', now);
        await store.load('a', now);
        await store.create('d', record(now));
        assert.strictEqual(await store.load('b', now), undefined);
        for (const key of ['a', 'c', 'd']) assert.ok(await store.load(key, now), key);
    });

    it('drops expired sessions before live ones when it needs room', async () => {
        const store = new MemoryStore({ maxSessions: 2 });
        const now = Date.now();
        await store.create('live', record(now));
        await store.create('short', record(now, {}, 10));
        await store.create('new', record(now + 20));
        assert.ok(await store.load('live', now + 20));
        assert.ok(await store.load('new', now + 20));
        assert.strictEqual(store.size, 2);
    });

    it('gives callers copies: changing a loaded value does not change the store', async () => {
        const store = new MemoryStore();
        const now = Date.now();
        await store.create('k', record(now, { cart: [{ item: 'tea' }] }));
        const loaded = await store.load('k', now);
        (loaded!.data.cart as { item: string }[]).push({ item: 'stolen' });
        assert.deepStrictEqual((await store.load('k', now))!.data.cart, [{ item: 'tea' }]);
    });

    // A session of primitives is given as one frozen record until it changes: each way of changing it must show.
    it('shows every write to a session read before it', async () => {
        const store = new MemoryStore();
        const now = Date.now();
        const activity = (at: number) => ({ now: at, lastSeenAt: at, idleExpiresAt: at + 60_000 });
        await store.create('k', record(now, { n: 1 }));
        const first = store.loadCached('k', now)!;
        assert.strictEqual(store.loadCached('k', now), first, 'an unchanged session is read as the same record');
        assert.ok(Object.isFrozen(first) && Object.isFrozen(first.data));

        assert.strictEqual(await store.update('k', { set: { n: 2 }, unset: [] }, activity(now + 1)), true);
        assert.strictEqual(store.loadCached('k', now + 1)!.data.n, 2, 'update');
        assert.strictEqual(await store.compareAndSet('k', 'n', 2, 3, activity(now + 2)), 'ok');
        assert.strictEqual(store.loadCached('k', now + 2)!.data.n, 3, 'compareAndSet');
        assert.strictEqual(await store.touch('k', activity(now + 3)), true);
        assert.strictEqual(store.loadCached('k', now + 3)!.lastSeenAt, now + 3, 'touch');
        assert.strictEqual(await store.update('k', { set: {}, unset: [] }, { ...activity(now + 4), userId: 'alice' }), true);
        assert.strictEqual(store.loadCached('k', now + 4)!.userId, 'alice', 'user index');
        const renewed = await store.renew('k', 'k2', { activity: activity(now + 5), changes: { set: { n: 4 }, unset: [] }, pointerExpiresAt: now + 10_000 });
        assert.deepStrictEqual(renewed, { outcome: 'renewed' });
        assert.strictEqual(store.loadCached('k', now + 5)!.successorKey, 'k2', 'renew');
        assert.strictEqual(store.loadCached('k2', now + 5)!.data.n, 4);
    });

    it('gives a session holding an object a fresh copy on every read', async () => {
        const store = new MemoryStore();
        const now = Date.now();
        await store.create('k', record(now, { userId: 'alice', cart: ['tea'] }));
        const first = store.loadCached('k', now)!;
        assert.notStrictEqual(store.loadCached('k', now), first);
        assert.ok(!Object.isFrozen(first.data));
    });

    it('refuses a maxSessions that is not a positive integer', () => {
        assert.throws(() => new MemoryStore({ maxSessions: 0 }), { name: 'RangeError', message: /maxSessions must be a positive integer/ });
    });
});
