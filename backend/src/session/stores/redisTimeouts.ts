import { once } from 'events';

/** Waits for the client's 'ready' event, at most `ms`. */
export async function readyWithin(client: object, ms: number): Promise<void> {
    const gaveUp = new AbortController();
    const ready = once(client as unknown as NodeJS.EventEmitter, 'ready', { signal: gaveUp.signal });
    ready.catch(() => {});
    try {
        await withinMs(ready, ms, `Redis did not become ready within ${ms} ms`);
    } finally {
        // Removes the listener of an attempt that timed out, so a long outage piles none up.
        gaveUp.abort();
    }
}

export function commandTimeoutMessage(ms: number): string {
    return `Redis did not answer within ${ms} ms`;
}

/** `promise`, or a rejection after `ms` (on a timer that keeps no process alive). */
export async function withinMs<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`tsrpc-session: ${message}`)), ms);
        timer.unref();
    });
    try {
        return await Promise.race([promise, timeout]);
    } finally {
        clearTimeout(timer);
    }
}
