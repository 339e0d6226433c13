import { setImmediate } from 'timers/promises';
import { RedisStore } from 'tsrpc-session/stores/redis';

/** What `INFO commandstats` says: commands the server ran (`INFO` itself left out), for counting a read's commands. */
export async function commandCount(admin: { sendCommand(args: string[]): Promise<unknown> }): Promise<number> {
    const info = String(await admin.sendCommand(['INFO', 'commandstats']));
    let calls = 0;
    for (const [, name, n] of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) if (name !== 'info') calls += Number(n);
    return calls;
}

export async function commandsSince(admin: { sendCommand(args: string[]): Promise<unknown> }, before: number): Promise<number> {
    return await commandCount(admin) - before;
}

/** Waits for `condition` (an event seen from outside), yielding to I/O between checks; fails after `ms`. */
export async function untilTrue(condition: () => Promise<boolean>, ms = 5000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!await condition()) {
        if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
        await setImmediate();
    }
}

/** Reads `key` until the store's near cache answers it (its tracking connection is up and the fill kept). */
export async function warm(store: RedisStore, key: string, now: number): Promise<void> {
    await untilTrue(async () => {
        await store.load(key, now);
        const hits = store.nearCacheStats()!.hits;
        await store.load(key, now);
        return store.nearCacheStats()!.hits > hits;
    });
}
