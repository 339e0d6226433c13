import assert from 'assert';
import { MemoryStore } from 'tsrpc-session/server';
import { SessionIdCodec } from '../../backend/src/session/core/SessionIdCodec';
import { SessionTestServer, startSessionServer } from '../helpers/sessionServer';
import { TestClock } from '../helpers/testClock';
import { TRANSPORTS } from '../helpers/transports';

const OLD_SECRET = 'old-secret-0123456789-abcdefghijklmnopqrstuvwxyz';
const NEW_SECRET = 'new-secret-0123456789-abcdefghijklmnopqrstuvwxyz';

for (const transport of TRANSPORTS) {
    describe(`session id lifecycle over ${transport}`, () => {
        const servers: SessionTestServer[] = [];
        const start = async (...args: Parameters<typeof startSessionServer>) => {
            const server = await startSessionServer(...args);
            servers.push(server);
            return server;
        };
        afterEach(async () => { await Promise.all(servers.splice(0).map(s => s.stop())); });

        it('secret rotation: an id signed with an older secret is accepted and re-signed; a removed secret is rejected', async () => {
            const store = new MemoryStore();
            const before = await start(transport, { store, secrets: [OLD_SECRET] });
            const { client, jar } = await before.client();
            await client.callApi('SessionSet', { key: 'k', value: 'v' });
            const oldSigned = (await jar!.get('sid'))!;
            assert.ok(new SessionIdCodec([OLD_SECRET]).verify(oldSigned));

            const rotated = await start(transport, { store, secrets: [NEW_SECRET, OLD_SECRET] });
            const raw = await rotated.client(null);
            const ret = await raw.client.callApi('SessionGet', { key: 'k', __cookie: { sid: oldSigned } });
            assert.ok(ret.isSucc);
            assert.strictEqual(ret.res.value, 'v');
            const resigned = ret.res.__cookie!.sid.value!;
            assert.strictEqual(resigned.split('.')[0], oldSigned.split('.')[0], 'same id');
            assert.deepStrictEqual(new SessionIdCodec([NEW_SECRET]).verify(resigned)?.signedWithCurrentSecret, true);

            const retired = await start(transport, { store, secrets: [NEW_SECRET] });
            const afterRetire = await (await retired.client(null)).client.callApi('SessionGet', { key: 'k', __cookie: { sid: oldSigned } });
            assert.deepStrictEqual(afterRetire, { isSucc: true, res: { __cookie: { sid: { value: null } } } });
            const stillValid = await (await retired.client(null)).client.callApi('SessionGet', { key: 'k', __cookie: { sid: resigned } });
            assert.strictEqual(stillValid.isSucc && stillValid.res.value, 'v');
        });

        it('renewal: a new id after renewIdAfterMs, the old one working for renewGraceMs only, data and creation time kept', async () => {
            const clock = new TestClock();
            const env = await start(transport, { renewIdAfterMs: 200, renewGraceMs: 300, touchAfterMs: 0, now: clock.now });
            const { client, jar } = await env.client();
            await client.callApi('SessionSet', { key: 'k', value: 'v' });
            const first = (await jar!.get('sid'))!;
            await clock.advance(250);
            const renewing = await client.callApi('SessionGet', { key: 'k' });
            assert.strictEqual(renewing.isSucc && renewing.res.value, 'v');
            const second = (await jar!.get('sid'))!;
            assert.notStrictEqual(second, first);

            const inFlight = await env.client(null);
            const viaOld = await inFlight.client.callApi('SessionSet', { key: 'late', value: 'write', __cookie: { sid: first } });
            assert.deepStrictEqual(viaOld, { isSucc: true, res: {} }, 'the old id works inside the grace window, without a cookie change');
            const both = await client.callApi('SessionGetAll', {});
            assert.deepStrictEqual(both.isSucc && both.res.data, { k: 'v', late: 'write' }, 'a write through the old id lands in the renewed session');

            await clock.advance(350);
            const expired = await inFlight.client.callApi('SessionGet', { key: 'k', __cookie: { sid: first } });
            assert.deepStrictEqual(expired, { isSucc: true, res: { __cookie: { sid: { value: null } } } });
        });

        it('renewal keeps the absolute timeout counting from the session\'s creation', async () => {
            const clock = new TestClock();
            const env = await start(transport, { renewIdAfterMs: 100, renewGraceMs: 100, idleTimeoutMs: 500, absoluteTimeoutMs: 600, touchAfterMs: 0, now: clock.now });
            const { client } = await env.client();
            await client.callApi('SessionSet', { key: 'k', value: 'v' });
            for (let elapsed = 0; elapsed < 700; elapsed += 150) {
                await clock.advance(150);
                await client.callApi('SessionGet', { key: 'k' });
            }
            const ret = await client.callApi('SessionGet', { key: 'k' });
            assert.strictEqual(ret.isSucc && ret.res.value, undefined);
        });
    });
}

describe('message handlers read the session a WebSocket is bound to', () => {
    let env: SessionTestServer;
    before(async () => { env = await startSessionServer('ws'); });
    after(async () => { await env.stop(); });

    it('plugin.sessionOf(conn) is the session of the connection\'s last call', async () => {
        const { client } = await env.client();
        await client.callApi('SessionSet', { key: 'room', value: 'lobby' });
        await client.callApi('Ping', {});
        const [conn] = (env.server as import('tsrpc').WsServer<any>).connections;
        const session = env.plugin.sessionOf(conn)!;
        assert.strictEqual(await session.get('room'), 'lobby');
        await session.set('room', 'kitchen');
        await session.save();
        const ret = await client.callApi('SessionGet', { key: 'room' });
        assert.strictEqual(ret.isSucc && ret.res.value, 'kitchen');
    });
});
