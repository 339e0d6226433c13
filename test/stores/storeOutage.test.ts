import assert from 'assert';
import { WsClient } from 'tsrpc';
import { setTimeout as sleep } from 'timers/promises';
import { RedisStore } from 'tsrpc-session/stores/redis';
import { SessionErrorCode } from 'tsrpc-session/server';
import { SessionTestServer, startSessionServer } from '../helpers/sessionServer';
import { TRANSPORTS } from '../helpers/transports';
import { RedisChild, startRedisChild } from './redisServer';

for (const transport of TRANSPORTS) {
    describe(`Redis going away and coming back, over ${transport}`, () => {
        let redis: RedisChild;
        let store: RedisStore;
        let env: SessionTestServer;
        beforeEach(async () => {
            redis = await startRedisChild();
            store = new RedisStore({ url: redis.url, prefix: 'outage-test:' });
            env = await startSessionServer(transport, { store, storeTimeoutMs: 3000 });
        });
        afterEach(async () => {
            await env.stop();
            await store.close();
            await redis.kill();
        });

        it('answers SESSION_STORE_UNAVAILABLE while Redis is down, keeps serving, and recovers', async () => {
            const { client } = await env.client();
            assert.ok((await client.callApi('SessionSet', { key: 'k', value: 1 })).isSucc);
            await redis.kill();

            for (const ret of [
                await client.callApi('SessionGet', { key: 'k' }),
                await client.callApi('SessionSet', { key: 'k', value: 2 }),
                await client.callApi('SessionAppend', { key: 'list', item: 'x' }),
            ]) {
                assert.strictEqual(ret.isSucc, false);
                assert.deepStrictEqual({ code: ret.err?.code, type: ret.err?.type }, { code: SessionErrorCode.StoreUnavailable, type: 'ServerError' });
            }
            assert.deepStrictEqual(await client.callApi('Ping', {}), { isSucc: true, res: {} }, 'calls that need no session still work');

            // Nothing was saved (no disk), so the old session is gone; new writes succeed once the client has reconnected.
            await redis.restart();
            let ret = await client.callApi('SessionSet', { key: 'k', value: 3 });
            for (let attempt = 0; !ret.isSucc && attempt < 50; attempt++) {
                if (ret.err.code === 'WS_NOT_OPEN' && client instanceof WsClient) {
                    // The revocation channel came back first, found the session gone (Redis kept
                    // nothing) and closed its socket, as it closes any ended session's sockets.
                    assert.ok((await client.connect()).isSucc);
                } else {
                    assert.strictEqual(ret.err.code, SessionErrorCode.StoreUnavailable);
                }
                await sleep(100);
                ret = await client.callApi('SessionSet', { key: 'k', value: 3 });
            }
            assert.ok(ret.isSucc, JSON.stringify(ret));
            const read = await client.callApi('SessionGet', { key: 'k' });
            assert.deepStrictEqual(read.isSucc && read.res.value, 3);
        });

        it('answers SESSION_STORE_UNAVAILABLE when Redis is down from the start', async () => {
            await redis.kill();
            const { client } = await env.client();
            const ret = await client.callApi('SessionSet', { key: 'k', value: 1 });
            assert.strictEqual(ret.isSucc, false);
            assert.strictEqual(ret.err.code, SessionErrorCode.StoreUnavailable);
        });
    });
}
