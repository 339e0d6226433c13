import { randomBytes } from 'crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'fs/promises';
import { dirname, resolve } from 'path';
import { KeyedQueue } from '../../../../shared/keyedQueue';
import { CookieStorage } from './CookieStorage';

/** Writes to one file run one at a time in this process, whichever FileStorage object asks. */
const fileQueue = new KeyedQueue<string>();

/**
 * Keeps the jar in a JSON file, for command-line tools that stay logged in between runs. The file
 * is readable by its owner only (0600): it holds session ids. Every write replaces the file
 * atomically (a temporary file, then a rename), so a crash never leaves it half-written. Writers in
 * one process are serialised; separate processes writing at once keep the last whole file.
 * @example
 * ```ts
 * enableCookies(client, { storage: new FileStorage(join(homedir(), '.config', 'my-cli', 'cookies.json')) });
 * ```
 */
export class FileStorage implements CookieStorage {
    readonly path: string;

    constructor(path: string) {
        this.path = resolve(path);
    }

    async getItem(key: string): Promise<string | undefined> {
        const value = (await this.#readAll())[key];
        return typeof value === 'string' ? value : undefined;
    }

    setItem(key: string, value: string): Promise<void> {
        return this.#update(items => { items[key] = value; });
    }

    removeItem(key: string): Promise<void> {
        return this.#update(items => { delete items[key]; });
    }

    /** The file's items; a missing or unreadable file reads as empty (the jar then starts afresh). */
    async #readAll(): Promise<Record<string, unknown>> {
        let text: string;
        try {
            text = await readFile(this.path, 'utf8');
        } catch (e) {
            if ((e as NodeJS.ErrnoException).code === 'ENOENT') return Object.create(null);
            throw e;
        }
        try {
            const parsed: unknown = JSON.parse(text);
            if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
                // A null-prototype copy, so a "__proto__" key in the file is only a key.
                return Object.assign(Object.create(null), parsed);
            }
        } catch {
            // Not JSON: replaced by the next write.
        }
        return Object.create(null);
    }

    #update(change: (items: Record<string, unknown>) => void): Promise<void> {
        return fileQueue.run(this.path, async () => {
            const items = await this.#readAll();
            change(items);
            await this.#writeAtomically(JSON.stringify(items));
        });
    }

    async #writeAtomically(text: string): Promise<void> {
        await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
        const temp = `${this.path}.${randomBytes(6).toString('hex')}.tmp`;
        try {
            // `flag: 'wx'` never follows a planted file or link; the mode applies on creation.
            await writeFile(temp, text, { mode: 0o600, flag: 'wx' });
            await rename(temp, this.path);
        } catch (e) {
            await rm(temp, { force: true });
            throw e;
        }
    }
}
