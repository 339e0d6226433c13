/**
 * The mini-program storage, driven by real tsrpc Node clients against real servers.
 *
 * Why not tsrpc-miniapp's own HttpClient/WsClient: they do their networking through
 * `wx.request` and `wx.connectSocket`, which exist only inside the WeChat runtime. Running them
 * here would mean faking the network too, and a fake network would test the fake, not the plugin.
 * The plugin sees any client through the same BaseClient flows, so a Node client stands in for
 * the transport, and only the three wx storage functions are imitated, following WeChat's
 * documentation: getStorageSync returns '' for a missing key, values come back as they were stored,
 * and a value over 1 MB is refused with an exception.
 */
import assert from 'assert';
import { wxStorage, WxStorageApi } from 'tsrpc-session/client';
import { SessionTestServer, startSessionServer } from '../helpers/sessionServer';
import { jarStorageKey } from '../helpers/storages';
import { TRANSPORTS } from '../helpers/transports';

const MAX_ITEM_BYTES = 1024 * 1024;
const SIGNED_SID = /^[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{43}$/;

/** WeChat's getStorageSync / setStorageSync / removeStorageSync, as documented; the device's storage is the Map. */
class FakeWxStorage implements WxStorageApi {
    readonly items = new Map<string, unknown>();

    getStorageSync(key: string): unknown {
        return this.items.has(key) ? this.items.get(key) : '';
    }

    setStorageSync(key: string, data: unknown): void {
        if (Buffer.byteLength(JSON.stringify(data) ?? '', 'utf8') > MAX_ITEM_BYTES) {
            throw new Error('setStorageSync:fail exceed storage item max length');
        }
        this.items.set(key, data);
    }

    removeStorageSync(key: string): void {
        this.items.delete(key);
    }
}

describe('wxStorage', () => {
    const global = globalThis as { wx?: WxStorageApi };
    afterEach(() => { delete global.wx; });

    it('uses the global wx when none is passed', () => {
        const wx = new FakeWxStorage();
        global.wx = wx;
        wxStorage().setItem('k', 'v');
        assert.strictEqual(wx.items.get('k'), 'v');
    });

    it('fails at once, with a prefixed message, without a wx storage API', () => {
        assert.throws(() => wxStorage(), /^TypeError: tsrpc-session: wxStorage needs the wx storage API/);
        assert.throws(() => wxStorage({} as WxStorageApi), /tsrpc-session: wxStorage/);
    });

    it('reads the empty string wx answers for a missing key, and a non-string value, as nothing', () => {
        const wx = new FakeWxStorage();
        const storage = wxStorage(wx);
        assert.strictEqual(storage.getItem('missing'), undefined);
        wx.setStorageSync('object', { v: 1 });
        assert.strictEqual(storage.getItem('object'), undefined);
    });

    for (const transport of TRANSPORTS) {
        describe(`with a client over ${transport}`, () => {
            let env: SessionTestServer;
            beforeEach(async () => { env = await startSessionServer(transport); });
            afterEach(async () => { await env.stop(); });

            it('keeps the jar across client instances, as a mini-program keeps it across launches', async () => {
                const wx = new FakeWxStorage();
                const first = await env.client(wxStorage(wx));
                await first.client.callApi('SessionSet', { key: 'user', value: 'alice' });
                await first.close();

                const relaunched = await env.client(wxStorage(wx));
                assert.strictEqual((await relaunched.client.callApi('SessionGet', { key: 'user' })).res?.value, 'alice');
            });

            it('stores one string under one key: the signed session id, no session data', async () => {
                const wx = new FakeWxStorage();
                const { client } = await env.client(wxStorage(wx));
                await client.callApi('SessionSet', { key: 'user', value: 'alice' });
                assert.deepStrictEqual([...wx.items.keys()], [jarStorageKey(env.url)]);
                const stored = wx.items.get(jarStorageKey(env.url));
                assert.strictEqual(typeof stored, 'string');
                const jar = JSON.parse(stored as string) as { cookies: Record<string, { value: string }> };
                assert.deepStrictEqual(Object.keys(jar.cookies), ['sid']);
                assert.match(jar.cookies.sid.value, SIGNED_SID);
                assert.doesNotMatch(stored as string, /alice/);
            });

            it('forgets the session when the server ends it', async () => {
                const wx = new FakeWxStorage();
                const { client } = await env.client(wxStorage(wx));
                await client.callApi('SessionSet', { key: 'user', value: 'alice' });
                await client.callApi('SessionDestroy', {});
                assert.strictEqual(wx.getStorageSync(jarStorageKey(env.url)), '');
            });

            it('calls on when wx refuses to store (storage full)', async () => {
                const wx = new FakeWxStorage();
                wx.setStorageSync = () => { throw new Error('setStorageSync:fail exceed storage max size 10MB'); };
                const { client } = await env.client(wxStorage(wx));
                assert.deepStrictEqual(await client.callApi('SessionSet', { key: 'user', value: 'alice' }), { isSucc: true, res: {} });
            });
        });
    }
});
