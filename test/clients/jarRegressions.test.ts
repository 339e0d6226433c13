import assert from 'assert';
import { CookieStorage, MemoryStorage } from 'tsrpc-session/client';
import { SessionTestServer, startSessionServer } from '../helpers/sessionServer';
import { TRANSPORTS } from '../helpers/transports';

/** A working storage whose next `getItem` fails once, as a busy disk or mini-program storage might. */
class FlakyStorage extends MemoryStorage implements CookieStorage {
    failNextRead = false;

    override getItem(key: string): string | undefined {
        if (this.failNextRead) {
            this.failNextRead = false;
            throw new Error('storage busy');
        }
        return super.getItem(key);
    }
}

for (const transport of TRANSPORTS) {
    describe(`cookie jar regressions over ${transport}`, () => {
        let env: SessionTestServer;
        beforeEach(async () => { env = await startSessionServer(transport); });
        afterEach(async () => { await env.stop(); });

        it('one failed storage read sends no cookies for that call but keeps the jar', async () => {
            const storage = new FlakyStorage();
            const { client, jar } = await env.client(storage);
            await client.callApi('SessionSet', { key: 'k', value: 'kept' });
            const sid = await jar!.get('sid');
            storage.failNextRead = true;
            const blind = await client.callApi('SessionGet', { key: 'k' });
            assert.strictEqual(blind.isSucc && blind.res.value, undefined, 'that call went without cookies');
            assert.strictEqual(await jar!.get('sid'), sid, 'the jar is intact');
            const ret = await client.callApi('SessionGet', { key: 'k' });
            assert.strictEqual(ret.isSucc && ret.res.value, 'kept');
        });

        it('cookie updates still apply when a later client flow replaces the request object', async () => {
            const { client, jar } = await env.client();
            client.flows.preCallApiFlow.push(v => {
                (v as { req: object }).req = { ...v.req };
                return v;
            });
            await client.callApi('CookieSet', { name: 'theme', value: 'dark' });
            await client.callApi('CookieSet', { name: 'theme', value: 'light' });
            assert.strictEqual(await jar!.get('theme'), 'light');
            await client.callApi('CookieClear', { name: 'theme' });
            assert.strictEqual(await jar!.get('theme'), undefined);
        });
    });
}
