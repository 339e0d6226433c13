import assert from 'assert';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'fs/promises';
import { tmpdir } from 'os';
import { join } from 'path';
import { CookieStorage, MemoryStorage } from 'tsrpc-session/client';
import { FileStorage } from 'tsrpc-session/client/file-storage';
import { SessionTestServer, startSessionServer } from '../helpers/sessionServer';
import { TRANSPORTS } from '../helpers/transports';

describe('Node storages', () => {
    let dir: string;
    beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'tsrpc-session-storage-')); });
    afterEach(async () => { await rm(dir, { recursive: true, force: true }); });

    /** Each kind: the storage a first run uses, and the one a later run (or process) opens on the same data. */
    const kinds: readonly [string, () => { first: CookieStorage; later: CookieStorage }][] = [
        ['MemoryStorage, shared by clients in one process', () => {
            const storage = new MemoryStorage();
            return { first: storage, later: storage };
        }],
        ['FileStorage, reopened on the same file as a new process would', () => {
            const path = join(dir, 'cookies.json');
            return { first: new FileStorage(path), later: new FileStorage(path) };
        }],
    ];

    for (const transport of TRANSPORTS) {
        describe(`keep the session across client instances over ${transport}`, () => {
            let env: SessionTestServer;
            beforeEach(async () => { env = await startSessionServer(transport); });
            afterEach(async () => { await env.stop(); });

            for (const [kind, open] of kinds) {
                it(kind, async () => {
                    const { first, later } = open();
                    const before = await env.client(first);
                    await before.client.callApi('SessionSet', { key: 'user', value: 'alice' });
                    await before.client.callApi('CookieSet', { name: 'theme', value: 'dark' });
                    await before.close();

                    const after = await env.client(later);
                    assert.deepStrictEqual(await after.jar!.getAll(), await before.jar!.getAll());
                    assert.strictEqual((await after.client.callApi('SessionGet', { key: 'user' })).res?.value, 'alice');
                    assert.deepStrictEqual((await after.client.callApi('CookieGetAll', {})).res?.cookies, { theme: 'dark' });
                });
            }

            it('separate MemoryStorages are separate jars', async () => {
                const a = await env.client(new MemoryStorage());
                await a.client.callApi('SessionSet', { key: 'user', value: 'alice' });
                const b = await env.client(new MemoryStorage());
                assert.strictEqual((await b.client.callApi('SessionGet', { key: 'user' })).res?.value, undefined);
            });
        });
    }

    describe('FileStorage', () => {
        it('is readable by its owner only (0600) and leaves no temporary files', async () => {
            const path = join(dir, 'cookies.json');
            await new FileStorage(path).setItem('k', 'v');
            assert.strictEqual((await stat(path)).mode & 0o777, 0o600);
            assert.deepStrictEqual(await readdir(dir), ['cookies.json']);
        });

        it('creates missing folders', async () => {
            const storage = new FileStorage(join(dir, 'a', 'b', 'cookies.json'));
            await storage.setItem('k', 'v');
            assert.strictEqual(await storage.getItem('k'), 'v');
        });

        it('reads a missing file as empty, and removes keys', async () => {
            const storage = new FileStorage(join(dir, 'cookies.json'));
            assert.strictEqual(await storage.getItem('k'), undefined);
            await storage.setItem('k', 'v');
            await storage.setItem('other', 'w');
            await storage.removeItem('k');
            assert.strictEqual(await storage.getItem('k'), undefined);
            assert.strictEqual(await new FileStorage(join(dir, 'cookies.json')).getItem('other'), 'w');
        });

        it('reads a corrupt file as empty and replaces it on the next write', async () => {
            const path = join(dir, 'cookies.json');
            await writeFile(path, '{"tsrpc-session:x": "half-writ');
            const storage = new FileStorage(path);
            assert.strictEqual(await storage.getItem('tsrpc-session:x'), undefined);
            await storage.setItem('k', 'v');
            assert.deepStrictEqual(JSON.parse(await readFile(path, 'utf8')), { k: 'v' });
        });

        it('loses no write when storages on one file write at once', async () => {
            const path = join(dir, 'cookies.json');
            const storages = [new FileStorage(path), new FileStorage(path)];
            await Promise.all(Array.from({ length: 40 }, (_, i) => storages[i % 2].setItem(`k${i}`, String(i))));
            const items = JSON.parse(await readFile(path, 'utf8')) as Record<string, string>;
            assert.strictEqual(Object.keys(items).length, 40);
        });

        it('replaces the file atomically: a reader never sees a partial write', async () => {
            const path = join(dir, 'cookies.json');
            const storage = new FileStorage(path);
            await storage.setItem('big', 'x'.repeat(200_000));
            let writing = true;
            const writes = (async () => {
                for (let i = 0; i < 30; i++) await storage.setItem('big', String(i).repeat(200_000));
                writing = false;
            })();
            let reads = 0;
            while (writing) {
                JSON.parse(await readFile(path, 'utf8'));
                reads++;
            }
            await writes;
            assert.ok(reads > 0);
        });
    });
});
