import assert from 'assert';
import { SessionTestServer, startSessionServer } from '../helpers/sessionServer';
import { TRANSPORTS } from '../helpers/transports';

const MINUTE = 60_000;

for (const transport of TRANSPORTS) {
    describe(`session cookie lifetime and creation options over ${transport}`, () => {
        let env: SessionTestServer | undefined;
        afterEach(async () => { await env?.stop(); env = undefined; });

        const sidUpdate = async (req: { key: string; value?: unknown }, sid?: string) => {
            const { client } = await env!.client(null);
            const ret = req.value === undefined
                ? await client.callApi('SessionGet', { key: req.key, ...(sid && { __cookie: { sid } }) })
                : await client.callApi('SessionSet', { key: req.key, value: req.value, ...(sid && { __cookie: { sid } }) });
            assert.ok(ret.isSucc);
            return ret.res.__cookie?.sid;
        };

        it('by default the cookie lives until the absolute timeout and is not re-sent on writes', async () => {
            env = await startSessionServer(transport, { idleTimeoutMs: 5 * MINUTE, absoluteTimeoutMs: 60 * MINUTE });
            const created = (await sidUpdate({ key: 'k', value: 1 }))!;
            assert.ok(created.maxAgeMs! > 59 * MINUTE && created.maxAgeMs! <= 60 * MINUTE);
            assert.strictEqual(await sidUpdate({ key: 'k', value: 2 }, created.value!), undefined);
        });

        it('rolling: the cookie is re-sent with the idle lifetime on every write and touch', async () => {
            env = await startSessionServer(transport, { idleTimeoutMs: 5 * MINUTE, absoluteTimeoutMs: 60 * MINUTE, touchAfterMs: 0, rolling: true });
            const created = (await sidUpdate({ key: 'k', value: 1 }))!;
            assert.ok(created.maxAgeMs! > 4 * MINUTE && created.maxAgeMs! <= 5 * MINUTE);
            const onWrite = await sidUpdate({ key: 'k', value: 2 }, created.value!);
            assert.deepStrictEqual(onWrite?.value, created.value);
            assert.ok(onWrite!.maxAgeMs! > 4 * MINUTE && onWrite!.maxAgeMs! <= 5 * MINUTE);
            const onTouch = await sidUpdate({ key: 'k' }, created.value!);
            assert.deepStrictEqual(onTouch?.value, created.value);
        });

        it('saveUninitialized: even a call that writes nothing gets a stored session', async () => {
            env = await startSessionServer(transport, { saveUninitialized: true });
            const { client, jar } = await env.client();
            await client.callApi('Ping', {});
            assert.match((await jar!.get('sid'))!, /^[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{43}$/);
            assert.strictEqual(env.store.counts.create, 1);
            const ret = await client.callApi('SessionGetAll', {});
            assert.ok(ret.isSucc && ret.res.id !== undefined);
            assert.strictEqual(env.store.counts.create, 1, 'the next call uses that session');
        });
    });
}
