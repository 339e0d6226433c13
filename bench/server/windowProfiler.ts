import { writeFile } from 'fs/promises';
import { Session } from 'inspector';
import path from 'path';

/**
 * CPU profiles of the measured windows only (not start-up, ts-node compiling or warm-up), one file
 * per scenario and round, through the inspector in the server's own process.
 */
export class WindowProfiler {
    readonly #session = new Session();
    readonly #dir: string;
    #current: string | undefined;

    constructor(dir: string) {
        this.#dir = dir;
        this.#session.connect();
    }

    async start(name: string): Promise<void> {
        await this.#post('Profiler.enable');
        await this.#post('Profiler.start');
        this.#current = name;
    }

    /** Writes the window's profile as `<dir>/<name>.cpuprofile`, with the calls the window answered (`benchCalls`). */
    async stop(calls: number): Promise<void> {
        const name = this.#current;
        if (name === undefined) return;
        this.#current = undefined;
        const { profile } = await this.#post('Profiler.stop') as { profile: object };
        await writeFile(path.join(this.#dir, `${name}.cpuprofile`), JSON.stringify({ ...profile, benchCalls: calls }));
    }

    #post(method: string): Promise<unknown> {
        return new Promise((resolve, reject) => this.#session.post(method, (e, result) => (e ? reject(e) : resolve(result))));
    }
}
