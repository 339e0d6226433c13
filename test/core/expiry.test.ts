import assert from 'assert';
import { SessionTestServer, startSessionServer } from '../helpers/sessionServer';
import { TestClock } from '../helpers/testClock';
import { TRANSPORTS } from '../helpers/transports';

for (const transport of TRANSPORTS) {
    describe(`expiry over ${transport}`, () => {
        let env: SessionTestServer | undefined;
        let clock: TestClock;
        beforeEach(() => { clock = new TestClock(); });
        afterEach(async () => { await env?.stop(); env = undefined; });

        it('an idle session ends, and the client is told to drop its cookie', async () => {
            env = await startSessionServer(transport, { idleTimeoutMs: 300, touchAfterMs: 0, now: clock.now });
            const { client, jar } = await env.client();
            await client.callApi('SessionSet', { key: 'k', value: 'v' });
            await clock.advance(450);
            const ret = await client.callApi('SessionGet', { key: 'k' });
            assert.strictEqual(ret.isSucc && ret.res.value, undefined);
            assert.strictEqual(await jar!.get('sid'), undefined);
        });

        it('activity slides the idle expiry', async () => {
            env = await startSessionServer(transport, { idleTimeoutMs: 400, touchAfterMs: 0, now: clock.now });
            const { client } = await env.client();
            await client.callApi('SessionSet', { key: 'k', value: 'v' });
            for (let i = 0; i < 4; i++) {
                await clock.advance(200);
                const ret = await client.callApi('SessionGet', { key: 'k' });
                assert.deepStrictEqual(ret, { isSucc: true, res: { value: 'v' } }, `read ${i} after ${(i + 1) * 200} ms`);
            }
        });

        it('an unchanged session is touched at most once per touchAfterMs', async () => {
            env = await startSessionServer(transport, { idleTimeoutMs: 60_000, touchAfterMs: 300, now: clock.now });
            const { client } = await env.client();
            await client.callApi('SessionSet', { key: 'k', value: 'v' });
            env.store.reset();
            for (let i = 0; i < 5; i++) await client.callApi('SessionGet', { key: 'k' });
            assert.strictEqual(env.store.counts.touch, 0, 'inside touchAfterMs');
            await clock.advance(350);
            for (let i = 0; i < 5; i++) await client.callApi('SessionGet', { key: 'k' });
            assert.strictEqual(env.store.counts.touch, 1, 'one touch once touchAfterMs has passed');
        });

        it('the absolute timeout ends even an active session', async () => {
            env = await startSessionServer(transport, { idleTimeoutMs: 300, absoluteTimeoutMs: 500, touchAfterMs: 0, now: clock.now });
            const { client } = await env.client();
            await client.callApi('SessionSet', { key: 'k', value: 'v' });
            for (let elapsed = 0; elapsed < 600; elapsed += 150) {
                await clock.advance(150);
                await client.callApi('SessionGet', { key: 'k' });
            }
            const ret = await client.callApi('SessionGet', { key: 'k' });
            assert.strictEqual(ret.isSucc && ret.res.value, undefined);
        });
    });
}
