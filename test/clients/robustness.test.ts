import assert from 'assert';
import { CookieStorage, MemoryStorage } from 'tsrpc-session/client';
import { SessionTestServer, startSessionServer } from '../helpers/sessionServer';
import { AsyncStorage, failingStorage, jarStorageKey, RawStorage, settlesWithin, StorageMethod } from '../helpers/storages';
import { TRANSPORTS } from '../helpers/transports';

const SIGNED_SID = /^[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{43}$/;
const jarOf = (cookies: Record<string, unknown>) => JSON.stringify({ v: 1, cookies });

/** What storage may hold that the jar did not write: each must read as "no cookies". */
const FOREIGN_DATA: readonly [string, unknown][] = [
    ['text that is not JSON', '{"v":1,"cookies":'],
    ['a JSON number', '42'],
    ['a JSON string', '"sid=abc"'],
    ['JSON null', 'null'],
    ['a JSON array', '[{"value":"x"}]'],
    ['another format version', JSON.stringify({ v: 2, cookies: { theme: { value: 'dark' } } })],
    ['cookies that are an array', JSON.stringify({ v: 1, cookies: [{ value: 'dark' }] })],
    ['cookies that are bare strings', jarOf({ theme: 'dark' })],
    ['values and expiries of the wrong type', jarOf({ theme: { value: 5 }, lang: { value: 'en', expiresAt: 'soon' } })],
    ['a value that is a number, not a string', 42],
    ['an object, not a string', { v: 1, cookies: { theme: { value: 'dark' } } }],
    ['__proto__ and constructor as cookie names', '{"v":1,"cookies":{"__proto__":{"value":"x"},"constructor":{"value":"y"}}}'],
];

for (const transport of TRANSPORTS) {
    describe(`client robustness over ${transport}`, () => {
        let env: SessionTestServer;
        beforeEach(async () => { env = await startSessionServer(transport); });
        afterEach(async () => { await env.stop(); });

        async function sentCookies(storage: CookieStorage): Promise<Record<string, string>> {
            const { client } = await env.client(storage);
            const ret = await settlesWithin(client.callApi('CookieGetAll', {}), 3000, 'CookieGetAll');
            assert.ok(ret.isSucc, ret.err?.message);
            return ret.res.cookies;
        }

        describe('discards corrupt or foreign storage and calls on', () => {
            for (const [what, data] of FOREIGN_DATA) {
                it(what, async () => {
                    const storage = new RawStorage();
                    storage.items.set(jarStorageKey(env.url), data);
                    assert.deepStrictEqual(await sentCookies(storage), {});
                    assert.strictEqual(({} as Record<string, unknown>).value, undefined, 'no prototype pollution');

                    const { client, jar } = await env.client(storage);
                    assert.ok((await client.callApi('CookieSet', { name: 'theme', value: 'dark' })).isSucc);
                    assert.strictEqual(await jar!.get('theme'), 'dark', 'the jar starts afresh');
                });
            }

            it('keeps the valid cookies of a jar that also holds invalid ones', async () => {
                const storage = new RawStorage();
                storage.items.set(jarStorageKey(env.url), jarOf({
                    theme: { value: 'dark' }, 'bad name!': { value: 'x' }, lang: { value: 7 }, tz: null,
                }));
                assert.deepStrictEqual(await sentCookies(storage), { theme: 'dark' });
            });
        });

        describe('a broken storage never fails or stalls a call', () => {
            for (const how of ['throws', 'rejects'] as const) {
                for (const methods of [['getItem'], ['setItem'], ['removeItem'], ['getItem', 'setItem', 'removeItem']] as StorageMethod[][]) {
                    it(`when ${methods.join(', ')} ${how}`, async () => {
                        const { client } = await env.client(failingStorage(how, methods));
                        const ok = await settlesWithin(client.callApi('SessionSet', { key: 'k', value: 1 }), 3000, 'SessionSet');
                        assert.deepStrictEqual(ok, { isSucc: true, res: {} });
                        const failed = await settlesWithin(client.callApi('SessionSet', { key: 'k', value: 2, fail: true }), 3000, 'failing SessionSet');
                        assert.strictEqual(failed.isSucc, false);
                        assert.strictEqual(failed.err?.code, 'TEST_FAILURE', 'the call\'s own error, not the storage\'s');
                    });
                }
            }
        });

        it('never sends an expired cookie', async () => {
            const storage = new RawStorage();
            const now = Date.now();
            storage.items.set(jarStorageKey(env.url), jarOf({
                theme: { value: 'dark', expiresAt: now - 1 },
                lang: { value: 'en', expiresAt: now + 60_000 },
                tz: { value: 'UTC' },
            }));
            assert.deepStrictEqual(await sentCookies(storage), { lang: 'en', tz: 'UTC' });
        });

        describe('applies the cookie updates a failed call carries', () => {
            it('a session created by a call that then failed', async () => {
                const { client, jar } = await env.client(new MemoryStorage());
                const ret = await client.callApi('SessionSet', { key: 'k', value: 'kept', fail: true });
                assert.strictEqual(ret.err?.code, 'TEST_FAILURE');
                assert.match((await jar!.get('sid')) ?? '', SIGNED_SID);
                const read = await client.callApi('SessionGet', { key: 'k' });
                assert.deepStrictEqual(read.res?.value, 'kept');
            });

            it('a forged session cookie cleared by a call that failed', async () => {
                const storage = new MemoryStorage();
                storage.setItem(jarStorageKey(env.url), jarOf({ sid: { value: `${'a'.repeat(43)}.${'b'.repeat(43)}` } }));
                const { client, jar } = await env.client(storage);
                const ret = await client.callApi('CookieSet', { name: 'sid', value: 'mine' });
                assert.strictEqual(ret.isSucc, false);
                assert.strictEqual(await jar!.get('sid'), undefined);
            });
        });

        it('never sends one server\'s cookies to another (namespace)', async () => {
            const other = await startSessionServer(transport);
            try {
                const storage = new MemoryStorage();
                const a = await env.client(storage);
                const b = await other.client(storage);
                await a.client.callApi('SessionSet', { key: 'k', value: 'on a' });
                await a.client.callApi('CookieSet', { name: 'theme', value: 'dark' });

                const onB = await b.client.callApi('SessionGetAll', {});
                assert.deepStrictEqual(onB.res, { data: {} });
                assert.deepStrictEqual((await b.client.callApi('CookieGetAll', {})).res?.cookies, {});
                const stillOnA = await a.client.callApi('SessionGet', { key: 'k' });
                assert.strictEqual(stillOnA.res?.value, 'on a');
            } finally {
                await other.stop();
            }
        });

        it('works on an async (Promise-returning) storage', async () => {
            const storage = new AsyncStorage();
            const { client, jar } = await env.client(storage);
            await client.callApi('SessionSet', { key: 'k', value: 'async' });
            await Promise.all(['a', 'b', 'c', 'd', 'e'].map(name => client.callApi('CookieSet', { name, value: name })));
            assert.deepStrictEqual(Object.keys(await jar!.getAll()).sort(), ['a', 'b', 'c', 'd', 'e', 'sid']);

            const again = await env.client(storage);
            assert.strictEqual((await again.client.callApi('SessionGet', { key: 'k' })).res?.value, 'async');
        });

        describe('a slow response never undoes a newer cookie', () => {
            /**
             * Holds back the answer of the call `slow` picks, after the session plugin has saved and set
             * its cookies: `held` settles once it is held, `release()` lets its answer go.
             */
            function holdAnswer(slow: (service: string, req: Record<string, unknown>) => boolean): { held: Promise<void>; release(): void } {
                let reached!: () => void;
                let release!: () => void;
                const held = new Promise<void>(resolve => { reached = resolve; });
                const released = new Promise<void>(resolve => { release = resolve; });
                env.server.flows.preApiReturnFlow.push(async v => {
                    if (slow(v.call.service.name, v.call.req as Record<string, unknown>)) {
                        reached();
                        await released;
                    }
                    return v;
                });
                return { held, release };
            }

            it('an app cookie set by a slower call', async () => {
                const hold = holdAnswer((service, req) => service === 'CookieSet' && req.value === 'older');
                const { client, jar } = await env.client(new MemoryStorage());
                const older = client.callApi('CookieSet', { name: 'theme', value: 'older' });
                await hold.held;
                await client.callApi('CookieSet', { name: 'theme', value: 'newer' });
                hold.release();
                assert.ok((await older).isSucc);
                assert.strictEqual(await jar!.get('theme'), 'newer');
            });

            it('a new session id, by the slow logout that came before it', async () => {
                const hold = holdAnswer(service => service === 'SessionDestroy');
                const { client, jar } = await env.client(new MemoryStorage());
                await client.callApi('SessionSet', { key: 'user', value: 'old' });
                const logout = client.callApi('SessionDestroy', {});
                await hold.held;
                await client.callApi('SessionSet', { key: 'user', value: 'new' });
                const newSid = await jar!.get('sid');
                hold.release();
                assert.ok((await logout).isSucc);
                assert.strictEqual(await jar!.get('sid'), newSid, 'the logout\'s "clear" did not remove the newer id');
                assert.strictEqual((await client.callApi('SessionGet', { key: 'user' })).res?.value, 'new');
            });
        });
    });
}
