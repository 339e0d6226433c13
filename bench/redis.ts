import { createClient } from 'redis';

/** Why Redis scenarios cannot run, or undefined when Redis answers PING at `url`. */
export async function redisUnavailableReason(url: string): Promise<string | undefined> {
    const client = createClient({ url, socket: { connectTimeout: 2000, reconnectStrategy: false } });
    client.on('error', () => undefined);
    try {
        await client.connect();
        await client.ping();
        return undefined;
    } catch (e) {
        return `Redis not reachable at ${url} (${(e as Error)?.message ?? e})`;
    } finally {
        if (client.isOpen) await client.close();
    }
}

/** Deletes this run's keys, and only them: SCAN by prefix, never FLUSHALL. Returns how many. */
export async function deleteKeysWithPrefix(url: string, prefix: string): Promise<number> {
    const client = createClient({ url, socket: { connectTimeout: 2000, reconnectStrategy: false } });
    client.on('error', () => undefined);
    await client.connect();
    try {
        let deleted = 0;
        for await (const keys of client.scanIterator({ MATCH: `${escapeGlob(prefix)}*`, COUNT: 1000 })) {
            if (keys.length > 0) deleted += await client.unlink(keys);
        }
        return deleted;
    } finally {
        await client.close();
    }
}

function escapeGlob(text: string): string {
    return text.replace(/[*?[\]\\]/g, '\\$&');
}

/**
 * Counts the commands Redis runs (INFO commandstats, INFO itself left out), to measure a window's
 * Redis commands per call: exact only when nothing else uses that Redis meanwhile.
 */
export async function openRedisCommandCounter(url: string): Promise<{ count(): Promise<number>; close(): Promise<void> }> {
    const client = createClient({ url, socket: { connectTimeout: 2000, reconnectStrategy: false } });
    client.on('error', () => undefined);
    await client.connect();
    return {
        async count() {
            const info = await client.info('commandstats');
            let calls = 0;
            for (const [, name, n] of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) if (name !== 'info') calls += Number(n);
            return calls;
        },
        async close() {
            await client.close();
        },
    };
}
