import assert from 'assert';
import { MemoryStore, SessionAuditEvent } from 'tsrpc-session/server';
import { SessionRecord } from 'tsrpc-session/stores';
import { ExampleTestApp, startExampleApp } from '../helpers/exampleApp';
import { TRANSPORTS } from '../helpers/transports';
import { WsClient } from 'tsrpc';
import { settlesWithin } from '../helpers/storages';
import { SESSION_REVOKED_REASON } from '../../shared/sessionEnd';

const ALICE = { id: 'u1', name: 'Alice' };
const MAX_SESSIONS = 40;

function record(now: number, userId?: string): SessionRecord {
    return { v: 1, data: userId ? { userId } : {}, userId, createdAt: now, lastSeenAt: now, idleExpiresAt: now + 60_000, absoluteExpiresAt: now + 60_000 };
}

/** Issue 12 item 4: anonymous traffic must not log everyone out of the memory store. */
describe('MemoryStore eviction: sessions without a user go first', () => {
    it('keeps a user\'s session through a flood of anonymous ones, and says what it evicted', async () => {
        const store = new MemoryStore({ maxSessions: 3 });
        const evicted: unknown[] = [];
        store.onEvict(e => evicted.push(e));
        const now = Date.now();
        await store.create('user', record(now, 'u1'));
        for (let i = 0; i < 10; i++) await store.create(`anon${i}`, record(now));
        assert.ok(await store.load('user', now));
        assert.strictEqual(store.size, 3);
        assert.deepStrictEqual(evicted, Array.from({ length: 8 }, (_, i) => ({ key: `anon${i}` })));
    });

    it('evicts the least recently used anonymous session, and a user\'s only when no anonymous one is left', async () => {
        const store = new MemoryStore({ maxSessions: 2 });
        const evicted: unknown[] = [];
        store.onEvict(e => evicted.push(e));
        const now = Date.now();
        await store.create('a1', record(now));
        await store.create('a2', record(now));
        await store.load('a1', now);
        await store.create('u1', record(now, 'u1'));
        assert.deepStrictEqual(evicted, [{ key: 'a2' }]);
        // a1 logs in: it is no longer anonymous.
        await store.touch('a1', { now, lastSeenAt: now, idleExpiresAt: now + 60_000, userId: 'u2' });
        await store.create('u3', record(now, 'u3'));
        assert.deepStrictEqual(evicted, [{ key: 'a2' }, { key: 'u1', userId: 'u1' }]);
        // u2 logs out: anonymous again, so it goes before the users.
        await store.touch('a1', { now, lastSeenAt: now, idleExpiresAt: now + 60_000, userId: null });
        await store.create('u4', record(now, 'u4'));
        assert.deepStrictEqual(evicted.at(-1), { key: 'a1' });
        for (const key of ['u3', 'u4']) assert.ok(await store.load(key, now), key);
    });

    it('does not report expired sessions dropped to make room, and stops reporting when asked', async () => {
        const store = new MemoryStore({ maxSessions: 1 });
        const evicted: unknown[] = [];
        const stop = store.onEvict(e => evicted.push(e));
        const now = Date.now();
        await store.create('old', { ...record(now), idleExpiresAt: now + 10 });
        await store.create('new', record(now + 20));
        assert.deepStrictEqual(evicted, []);
        stop();
        await store.create('newer', record(now + 20));
        assert.deepStrictEqual(evicted, []);
    });
});

for (const transport of TRANSPORTS) {
    describe(`example app over ${transport}: an anonymous flood on the memory store`, () => {
        let env: ExampleTestApp;
        const audit: SessionAuditEvent[] = [];
        beforeEach(async () => {
            audit.length = 0;
            env = await startExampleApp({ store: new MemoryStore({ maxSessions: MAX_SESSIONS }), onAudit: e => audit.push(e) });
        });
        afterEach(async () => { await env.stop(); });

        it(`${MAX_SESSIONS * 5} anonymous AddToCart calls past maxSessions leave a logged-in user logged in`, async () => {
            const { client: alice } = await env.client(transport);
            assert.ok((await alice.callApi('Login', { username: 'alice', password: 'wonderland' })).isSucc);
            // No jar: every call is a new visitor, and so a new session.
            const { client: flood } = await env.client(transport, null);
            for (let i = 0; i < MAX_SESSIONS * 5; i++) {
                const ret = await flood.callApi('AddToCart', { item: 'tea', quantity: 1 });
                assert.ok(ret.isSucc, JSON.stringify(ret));
            }
            assert.deepStrictEqual(await alice.callApi('GetMe', {}), { isSucc: true, res: { user: ALICE } });
            const evicted = audit.filter(e => e.type === 'evicted');
            assert.ok(evicted.length >= MAX_SESSIONS * 4, `${evicted.length} evicted events`);
            assert.ok(evicted.every(e => e.userId === undefined && typeof e.sessionHash === 'string'));
        });
    });
}

describe('example app: a session the memory store evicts to make room', () => {
    let env: ExampleTestApp;
    afterEach(async () => { await env.stop(); });

    it('closes that session\'s WebSocket as a revoked one, as a revoke would', async () => {
        env = await startExampleApp({ store: new MemoryStore({ maxSessions: 3 }) });
        const { client: socket } = await env.client('ws');
        assert.ok(socket instanceof WsClient);
        const closed = new Promise<string | undefined>(resolve => {
            socket.flows.postDisconnectFlow.push(v => {
                resolve(v.reason);
                return v;
            });
        });
        // An anonymous cart over the socket: the socket is bound to that session.
        assert.ok((await socket.callApi('AddToCart', { item: 'tea', quantity: 1 })).isSucc);
        const { client: flood } = await env.client('http-json', null);
        for (let i = 0; i < 3; i++) assert.ok((await flood.callApi('AddToCart', { item: 'cake', quantity: 1 })).isSucc);
        assert.strictEqual(await settlesWithin(closed, 3000, 'the socket\'s close'), SESSION_REVOKED_REASON);
    });
});
