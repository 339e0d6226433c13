import assert from 'assert';
import { MemoryStorage } from 'tsrpc-session/client';
import { SessionTestServer, startSessionServer } from '../helpers/sessionServer';
import { TRANSPORTS } from '../helpers/transports';

const SIGNED_ID = /^[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{43}$/;

for (const transport of TRANSPORTS) {
    describe(`sessions over ${transport}`, () => {
        let env: SessionTestServer;
        beforeEach(async () => { env = await startSessionServer(transport); });
        afterEach(async () => { await env.stop(); });

        it('keeps data across calls under a signed id, the data itself staying on the server', async () => {
            const { client, jar } = await env.client();
            await client.callApi('SessionSet', { key: 'visits', value: 1 });
            await client.callApi('SessionSet', { key: 'profile', value: { name: 'Ada', tags: ['x'] } });
            const sid = await jar!.get('sid');
            assert.match(sid!, SIGNED_ID);
            assert.deepStrictEqual(Object.keys(await jar!.getAll()), ['sid']);
            const ret = await client.callApi('SessionGetAll', {});
            assert.deepStrictEqual(ret.isSucc && ret.res.data, { visits: 1, profile: { name: 'Ada', tags: ['x'] } });
        });

        it('is found again by a new client on the same storage', async () => {
            const storage = new MemoryStorage();
            const first = await env.client(storage);
            await first.client.callApi('SessionSet', { key: 'cart', value: ['tea'] });
            const second = await env.client(storage);
            const ret = await second.client.callApi('SessionGet', { key: 'cart' });
            assert.deepStrictEqual(ret, { isSucc: true, res: { value: ['tea'] } });
        });

        it('unsets one key and clears all keys', async () => {
            const { client } = await env.client();
            await client.callApi('SessionSet', { key: 'a', value: 1 });
            await client.callApi('SessionSet', { key: 'b', value: 2 });
            await client.callApi('SessionUnset', { key: 'a' });
            const afterUnset = await client.callApi('SessionGetAll', {});
            assert.deepStrictEqual(afterUnset.isSucc && afterUnset.res.data, { b: 2 });
            await client.callApi('SessionClear', {});
            const afterClear = await client.callApi('SessionGetAll', {});
            assert.deepStrictEqual(afterClear.isSucc && afterClear.res.data, {});
        });

        it('regenerate gives a new id, keeps the data, and kills the old id at once', async () => {
            const { client, jar } = await env.client();
            await client.callApi('SessionSet', { key: 'k', value: 'v' });
            const before = await client.callApi('SessionGetAll', {});
            const oldSid = (await jar!.get('sid'))!;
            const regenerated = await client.callApi('SessionRegenerate', {});
            assert.ok(regenerated.isSucc && before.isSucc);
            assert.notStrictEqual(regenerated.res.id, before.res.id);
            const newSid = await jar!.get('sid');
            assert.notStrictEqual(newSid, oldSid);
            assert.deepStrictEqual(await client.callApi('SessionGet', { key: 'k' }), { isSucc: true, res: { value: 'v' } });

            const replay = await (await env.client(null)).client.callApi('SessionGetAll', { __cookie: { sid: oldSid } });
            assert.deepStrictEqual(replay.isSucc && replay.res, { data: {}, __cookie: { sid: { value: null } } });
        });

        it('regenerate with keepData=false starts empty', async () => {
            const { client } = await env.client();
            await client.callApi('SessionSet', { key: 'k', value: 'v' });
            await client.callApi('SessionRegenerate', { keepData: false });
            await client.callApi('SessionSet', { key: 'other', value: 1 });
            const ret = await client.callApi('SessionGetAll', {});
            assert.deepStrictEqual(ret.isSucc && ret.res.data, { other: 1 });
        });

        it('destroy ends the session in the store and clears the client cookie', async () => {
            const { client, jar } = await env.client();
            await client.callApi('SessionSet', { key: 'k', value: 'v' });
            const sid = (await jar!.get('sid'))!;
            await client.callApi('SessionDestroy', {});
            assert.strictEqual(await jar!.get('sid'), undefined);
            const replay = await (await env.client(null)).client.callApi('SessionGet', { key: 'k', __cookie: { sid } });
            assert.deepStrictEqual(replay.isSucc && replay.res.value, undefined);
        });

        it('sends cookie updates on a failed call too (err.__cookie)', async () => {
            const { client, jar } = await env.client();
            const ret = await client.callApi('SessionSet', { key: 'k', value: 'kept', fail: true });
            assert.strictEqual(ret.isSucc, false);
            assert.strictEqual(!ret.isSucc && ret.err.code, 'TEST_FAILURE');
            assert.match((await jar!.get('sid'))!, SIGNED_ID);
            assert.deepStrictEqual(await client.callApi('SessionGet', { key: 'k' }), { isSucc: true, res: { value: 'kept' } });
        });

        it('update() is an atomic read-modify-write of one key', async () => {
            const { client } = await env.client();
            await client.callApi('SessionSet', { key: 'seed', value: true });
            const rets = await Promise.all(Array.from({ length: 10 }, (_, i) => client.callApi('SessionAppend', { key: 'list', item: `i${i}` })));
            assert.ok(rets.every(r => r.isSucc));
            const ret = await client.callApi('SessionGet', { key: 'list' });
            assert.deepStrictEqual((ret.isSucc ? ret.res.value as string[] : []).sort(), Array.from({ length: 10 }, (_, i) => `i${i}`).sort());
        });
    });
}
