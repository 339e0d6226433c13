import assert from 'assert';
import { MemoryStore, SessionErrorCode } from 'tsrpc-session/server';
import { serviceProto } from '../protocols/serviceProto';
import { post, sessionSetCookie } from '../carriers/carrierServers';
import { postJson, RawWsJson } from '../helpers/rawCalls';
import { TEST_SECRETS } from '../helpers/sessionServer';
import { TestClock } from '../helpers/testClock';
import { makeClient, TestClient } from '../helpers/transports';
import { SealedServers, startSealedServers } from './sealedServers';
import { ServiceType } from '../protocols/serviceProto';

/** A Secure session cookie's name (the __Host- prefix). */
const HOST_SID = '__Host-sid';

const MINUTE = 60_000;
const NEW_SECRET = 'rotated-secret-0123456789-abcdefghijklmnop';

describe('sealed sessions (issue 24)', () => {
    const started: SealedServers[] = [];
    const clients: TestClient<ServiceType>[] = [];
    const start = async (...args: Parameters<typeof startSealedServers>) => {
        const servers = await startSealedServers(...args);
        started.push(servers);
        return servers;
    };
    const client = async (transport: 'http-json' | 'ws', url: string) => {
        const made = await makeClient(transport, url, serviceProto);
        clients.push(made);
        return made;
    };
    afterEach(async () => {
        await Promise.allSettled(clients.splice(0).map(c => c.close()));
        await Promise.allSettled(started.splice(0).map(s => s.stop()));
    });

    for (const transport of ['http-json', 'ws'] as const) {
        describe(`body carrier over ${transport === 'ws' ? 'WebSocket' : 'HTTP'}`, () => {
            it('logs in, writes, reads and logs out with no store; the cookie is the seal, under the session cookie name', async () => {
                const env = await start();
                const { client: c, jar } = await client(transport, transport === 'ws' ? env.wsUrl : env.httpUrl);
                assert.ok((await c.callApi('SessionSet', { key: 'userId', value: 'alice' })).isSucc);
                const first = await jar!.get('sid');
                assert.match(first!, /^A[g-v][A-Za-z0-9_-]{80,}$/, 'version byte 2, base64url');
                assert.ok((await c.callApi('SessionSet', { key: 'cart', value: ['apple'] })).isSucc);
                assert.notStrictEqual(await jar!.get('sid'), first, 'every write re-seals');
                const read = await c.callApi('SessionGetAll', {});
                assert.deepStrictEqual(read.res?.data, { userId: 'alice', cart: ['apple'] });
                assert.ok((await c.callApi('SessionDestroy', {})).isSucc);
                assert.strictEqual(await jar!.get('sid'), undefined, 'logout clears the cookie');
                assert.deepStrictEqual((await c.callApi('SessionGetAll', {})).res?.data, {});
            });

            it('expires on the plugin clock: idle, then absolute however active', async () => {
                const env = await start({ idleTimeoutMs: 10 * MINUTE, absoluteTimeoutMs: 30 * MINUTE, touchAfterMs: MINUTE });
                const { client: c, jar } = await client(transport, transport === 'ws' ? env.wsUrl : env.httpUrl);
                await c.callApi('SessionSet', { key: 'userId', value: 'alice' });
                await env.clock.advance(9 * MINUTE);
                assert.strictEqual((await c.callApi('SessionGet', { key: 'userId' })).res?.value, 'alice', 'within the idle timeout; the read slides it');
                for (let i = 0; i < 2; i++) {
                    await env.clock.advance(9 * MINUTE);
                    assert.strictEqual((await c.callApi('SessionGet', { key: 'userId' })).res?.value, 'alice');
                }
                await env.clock.advance(9 * MINUTE);
                assert.strictEqual((await c.callApi('SessionGet', { key: 'userId' })).res?.value, undefined, 'past the absolute timeout (36 > 30 minutes)');
                assert.strictEqual(await jar!.get('sid'), undefined, 'the client is told to drop it');

                await c.callApi('SessionSet', { key: 'userId', value: 'bob' });
                await env.clock.advance(10 * MINUTE);
                assert.strictEqual((await c.callApi('SessionGet', { key: 'userId' })).res?.value, undefined, 'idle for the whole idle timeout');
            });

            it('refuses a write that would outgrow the cookie, naming the key; the session stays as it was', async () => {
                const env = await start();
                const { client: c, jar } = await client(transport, transport === 'ws' ? env.wsUrl : env.httpUrl);
                await c.callApi('SessionSet', { key: 'userId', value: 'alice' });
                const before = await jar!.get('sid');
                const big = await c.callApi('SessionSet', { key: 'notes', value: 'x'.repeat(3000) });
                assert.strictEqual(big.isSucc, false);
                assert.strictEqual(big.err?.code, SessionErrorCode.SealedTooLarge);
                assert.match(big.err!.message, /key 'notes'/);
                assert.strictEqual(await jar!.get('sid'), before, 'no new seal');
                assert.deepStrictEqual((await c.callApi('SessionGetAll', {})).res?.data, { userId: 'alice' });
                assert.ok((await c.callApi('SessionSet', { key: 'notes', value: 'x'.repeat(2000) })).isSucc, 'what fits is written');
                assert.ok((await jar!.get('sid'))!.length > 2000);
            });

            it('parallel writes: each reply carries a seal; the client ends with the newest state', async () => {
                const env = await start();
                const { client: c, jar } = await client(transport, transport === 'ws' ? env.wsUrl : env.httpUrl);
                await c.callApi('SessionSet', { key: 'userId', value: 'alice' });
                const writes = await Promise.all(['a', 'b', 'c', 'd'].map(key => c.callApi('SessionSet', { key, value: key })));
                assert.ok(writes.every(w => w.isSucc));
                const read = await c.callApi('SessionGetAll', {});
                assert.deepStrictEqual(read.res?.data, { userId: 'alice', a: 'a', b: 'b', c: 'c', d: 'd' });
                // The jar's seal alone, on a server that never saw these calls, holds every write.
                const restarted = await start();
                const alone = await postJson(restarted.httpUrl, 'SessionGetAll', { __cookie: { sid: await jar!.get('sid') } });
                assert.deepStrictEqual(alone.res?.data, { userId: 'alice', a: 'a', b: 'b', c: 'c', d: 'd' });
            });
        });
    }

    it('survives a restart of the server with the same secrets, over HTTP and WebSocket', async () => {
        const clock = new TestClock();
        const before = await start({}, clock);
        const login = await postJson(before.httpUrl, 'SessionSet', { key: 'userId', value: 'alice' });
        const seal = login.res.__cookie.sid.value as string;
        await before.stop();
        const after = await start({}, clock);
        assert.strictEqual((await postJson(after.httpUrl, 'SessionGet', { key: 'userId', __cookie: { sid: seal } })).res?.value, 'alice');
        const socket = await RawWsJson.open(after.wsUrl);
        try {
            assert.strictEqual((await socket.call('SessionGet', { key: 'userId', __cookie: { sid: seal } })).res?.value, 'alice');
        } finally {
            await socket.close();
        }
    });

    it('rotates secrets without logouts: the first secret seals, any opens; a seal of a retired secret is refused', async () => {
        const clock = new TestClock();
        const old = await start({}, clock);
        const seal = (await postJson(old.httpUrl, 'SessionSet', { key: 'userId', value: 'alice' })).res.__cookie.sid.value as string;
        const rotated = await start({ secrets: [NEW_SECRET, ...TEST_SECRETS] }, clock);
        const read = await postJson(rotated.httpUrl, 'SessionGet', { key: 'userId', __cookie: { sid: seal } });
        assert.strictEqual(read.res?.value, 'alice');
        const resealed = read.res.__cookie?.sid?.value as string;
        assert.ok(resealed && resealed !== seal, 'a read re-seals under the new secret');
        const newOnly = await start({ secrets: [NEW_SECRET] }, clock);
        assert.strictEqual((await postJson(newOnly.httpUrl, 'SessionGet', { key: 'userId', __cookie: { sid: resealed } })).res?.value, 'alice');
        const refused = await postJson(newOnly.httpUrl, 'SessionGet', { key: 'userId', __cookie: { sid: seal } });
        assert.strictEqual(refused.res?.value, undefined);
        assert.deepStrictEqual(refused.res?.__cookie, { sid: { value: null } }, 'the client drops a seal no secret opens');
    });

    it('HttpOnly cookie carrier: the seal rides Set-Cookie (under 4 KB with its attributes), comes back, logs out', async () => {
        const env = await start({ carriers: ['httpCookie'] });
        const login = await post(env.httpUrl, 'SessionSet', { key: 'userId', value: 'alice' });
        const cookie = sessionSetCookie(login, HOST_SID)!;
        assert.ok(cookie.attributes.has('httponly'));
        assert.strictEqual(login.body.res.__cookie, undefined, 'never in the body');
        const write = await post(env.httpUrl, 'SessionSet', { key: 'cart', value: ['pear'] }, { cookie: `${HOST_SID}=${cookie.value}` });
        const next = sessionSetCookie(write, HOST_SID)!;
        const read = await post(env.httpUrl, 'SessionGetAll', {}, { cookie: `${HOST_SID}=${next.value}` });
        assert.deepStrictEqual(read.body.res.data, { userId: 'alice', cart: ['pear'] });
        const big = await post(env.httpUrl, 'SessionSet', { key: 'blob', value: 'y'.repeat(4000) }, { cookie: `${HOST_SID}=${next.value}` });
        assert.strictEqual(big.body.err?.code, SessionErrorCode.SealedTooLarge);
        assert.strictEqual(sessionSetCookie(big, HOST_SID), undefined);
        const logout = await post(env.httpUrl, 'SessionDestroy', {}, { cookie: `${HOST_SID}=${next.value}` });
        assert.strictEqual(sessionSetCookie(logout, HOST_SID)?.attributes.get('max-age'), '0');
    });

    it('header carrier: the seal in x-session-id both ways; regenerate gives a new session id and ends the old seal with a deny-list', async () => {
        const env = await start({ carriers: ['header'], sealed: { denyList: new MemoryStore() } });
        const login = await post(env.httpUrl, 'SessionSet', { key: 'userId', value: 'native-app' });
        const seal = login.headers.get('x-session-id')!;
        assert.match(seal, /^A[\w-]{60,}$/);
        const read = await post(env.httpUrl, 'SessionGetAll', {}, { 'x-session-id': seal });
        assert.deepStrictEqual(read.body.res.data, { userId: 'native-app' });
        const regenerated = await post(env.httpUrl, 'SessionRegenerate', { keepData: true }, { 'x-session-id': seal });
        const next = regenerated.headers.get('x-session-id')!;
        assert.notStrictEqual(regenerated.body.res.id, read.body.res.id, 'a new session id inside the seal');
        assert.deepStrictEqual((await post(env.httpUrl, 'SessionGetAll', {}, { 'x-session-id': next })).body.res.data, { userId: 'native-app' });
        assert.deepStrictEqual((await post(env.httpUrl, 'SessionGetAll', {}, { 'x-session-id': seal })).body.res.data, {}, 'the old seal is ended');
    });

    it('the largest seal that is accepted fits a 4 KB Set-Cookie with its attributes', async () => {
        // Not Secure, so that a Domain is allowed (a __Host- cookie refuses one): the longest attributes.
        const env = await start({ carriers: ['httpCookie'], httpCookie: { domain: 'example.test', secure: false } });
        let size = 1000;
        let largest = '';
        for (let step = 1024; step >= 1; step = Math.floor(step / 2)) {
            const answer = await post(env.httpUrl, 'SessionSet', { key: 'k', value: 'z'.repeat(size + step) });
            if (answer.body.isSucc) {
                size += step;
                largest = answer.headers.getSetCookie().find(line => line.startsWith('sid='))!;
            }
        }
        assert.ok(largest.length <= 4096 && largest.length > 3900, `Set-Cookie of ${largest.length} bytes`);
    });

    it('deny-list: a logged-out seal, and every seal of a user revoked, stop opening; the WebSocket closes', async () => {
        const clock = new TestClock();
        const denyList = new MemoryStore();
        const env = await start({ sealed: { denyList } }, clock);
        const copied = (await postJson(env.httpUrl, 'SessionSet', { key: 'userId', value: 'alice' })).res.__cookie.sid.value as string;
        await postJson(env.httpUrl, 'SessionDestroy', { __cookie: { sid: copied } });
        const other = await start({ sealed: { denyList } }, clock);
        assert.strictEqual((await postJson(other.httpUrl, 'SessionGet', { key: 'userId', __cookie: { sid: copied } })).res?.value, undefined, 'another server refuses it too');

        const phone = (await postJson(env.httpUrl, 'SessionSet', { key: 'userId', value: 'bob' })).res.__cookie.sid.value as string;
        const socket = await RawWsJson.open(env.wsUrl);
        await socket.call('SessionSet', { key: 'userId', value: 'bob' });
        await clock.advance(1000);
        const laptop = (await postJson(env.httpUrl, 'SessionSet', { key: 'userId', value: 'bob' })).res.__cookie.sid.value as string;
        await clock.advance(1000);
        assert.strictEqual(await env.plugin.revokeSessions('bob'), 3, 'the three sessions this process held');
        assert.match((await socket.call('Ping', {})).err?.message ?? '', /revoked/, 'its WebSocket is closed as in store mode');
        for (const seal of [phone, laptop]) {
            assert.strictEqual((await postJson(other.httpUrl, 'SessionGet', { key: 'userId', __cookie: { sid: seal } })).res?.value, undefined);
        }
        await clock.advance(1000);
        const again = (await postJson(env.httpUrl, 'SessionSet', { key: 'userId', value: 'bob' })).res.__cookie.sid.value as string;
        assert.strictEqual((await postJson(other.httpUrl, 'SessionGet', { key: 'userId', __cookie: { sid: again } })).res?.value, 'bob', 'a later login works');
    });

    it('refuses what needs a store: update() and device lists answer SESSION_SEALED_UNSUPPORTED; store with sealed is a TypeError', async () => {
        const env = await start();
        const seal = (await postJson(env.httpUrl, 'SessionSet', { key: 'userId', value: 'alice' })).res.__cookie.sid.value as string;
        const append = await postJson(env.httpUrl, 'SessionAppend', { key: 'list', item: 'x', __cookie: { sid: seal } });
        assert.strictEqual(append.err?.code, SessionErrorCode.SealedUnsupported);
        await assert.rejects(() => (env.plugin as unknown as { listSessions(u: string): Promise<unknown> }).listSessions('alice'), { code: SessionErrorCode.SealedUnsupported });
        await assert.rejects(() => env.plugin.revokeSessions('alice'), { code: SessionErrorCode.SealedUnsupported }, 'no deny-list: revocation is refused, not faked');
        assert.throws(() => startSealedServersSync({ store: new MemoryStore() }), /options.store and options.sealed exclude each other/);
    });
});

/** enableSession's option check runs before any server starts. */
function startSealedServersSync(options: object): void {
    const { enableSession } = require('tsrpc-session/server') as typeof import('tsrpc-session/server');
    const { HttpServer } = require('tsrpc') as typeof import('tsrpc');
    enableSession(new HttpServer(serviceProto, {}), { secrets: TEST_SECRETS, sealed: {}, ...options } as never);
}
