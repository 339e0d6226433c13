import { TsrpcError } from 'tsrpc';

/** The error code of a login refused before its password was checked; `retryAfterMs` says when to try again. */
export const LOGIN_THROTTLED = 'LOGIN_THROTTLED';

export interface LoginGuardOptions {
    /** Failed logins per username, and per client address, before back-off starts. @defaultValue 5 */
    freeFailures: number;
    /** The first back-off; each further failure doubles it. @defaultValue 1 second */
    baseDelayMs: number;
    /** The longest back-off. @defaultValue 15 minutes */
    maxDelayMs: number;
    /** A username or client without a failure for this long starts afresh. @defaultValue 1 hour */
    forgetAfterMs: number;
    /** Password checks (scrypt) running at once; the rest wait, so the thread pool stays free for other work. @defaultValue 2 */
    maxConcurrentChecks: number;
    /** Checks waiting for a turn; past it, logins are refused until the queue drains. @defaultValue 32 */
    maxQueuedChecks: number;
    /** Logins one client address (or one username) may have in flight. @defaultValue 2 */
    maxPendingPerKey: number;
    /**
     * Usernames, devices and addresses remembered. Past it, a forgotten or clean record goes first,
     * then the one with the fewest failures (the longest unseen among equals): throwaway usernames
     * push out each other, never a record in back-off. @defaultValue 10000
     */
    maxTrackedKeys: number;
    now: () => number;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;

export const defaultLoginGuardOptions: Readonly<LoginGuardOptions> = Object.freeze({
    freeFailures: 5,
    baseDelayMs: SECOND,
    maxDelayMs: 15 * MINUTE,
    forgetAfterMs: 60 * MINUTE,
    maxConcurrentChecks: 2,
    maxQueuedChecks: 32,
    maxPendingPerKey: 2,
    maxTrackedKeys: 10_000,
    now: Date.now,
});

interface Attempts {
    failures: number;
    lastFailureAt: number;
    blockedUntil: number;
    pending: number;
}

/** A login waiting for a password-check slot. */
interface Waiter {
    start(): void;
    refuse(error: TsrpcError): void;
}

/**
 * Throttles the example's Login: exponential back-off per username and per client address after a
 * few failures, a cap on logins in flight per username and per address, and a bound on password
 * checks running at once (scrypt runs on libuv's small thread pool: 400 parallel checks would
 * stall every other login and file read). A throttled login fails at once with LOGIN_THROTTLED,
 * its password unchecked; unknown usernames are throttled the same way as known ones.
 *
 * A login from a device the user logged in from before (`device`, from the example's device
 * cookie, see deviceCookies.ts) counts against that device instead of the username and address, as OWASP's
 * device cookies do: someone guessing alice's password cannot lock alice out of her own browser,
 * and guessing stays throttled per username everywhere else.
 *
 * Waiting checks are served one address at a time in turn; when the queue is full, a newcomer
 * takes the place of the newest waiter of the address with the most waiting, if it has fewer
 * itself: many addresses each flooding their share cannot refuse the next real user.
 */
export class LoginGuard {
    readonly #options: LoginGuardOptions;
    /** Map order is recency order: among records as worth keeping, the longest unseen goes first. */
    readonly #attempts = new Map<string, Attempts>();
    /** Per address, its logins waiting for a check slot; map order is the order addresses are served in. */
    readonly #waiting = new Map<string, Waiter[]>();
    #waitingCount = 0;
    #running = 0;

    constructor(options: Partial<LoginGuardOptions> = {}) {
        const given = Object.entries(options).filter(([, value]) => value !== undefined);
        this.#options = { ...defaultLoginGuardOptions, ...Object.fromEntries(given) };
    }

    /**
     * Runs `verify` (the password check) unless the username (or `device`) or the client must wait;
     * a result of undefined counts as a failure, anything else clears both records.
     * @param device a device the username logged in from before: counted instead of the username
     * @throws TsrpcError LOGIN_THROTTLED
     */
    async check<T>(username: string, clientAddress: string, verify: () => Promise<T | undefined>, device?: string): Promise<T | undefined> {
        // A known device answers for itself alone: its cookie cannot be made up, and the owner's address may be the guesser's too.
        const keys = device === undefined ? [`user:${username}`, `client:${clientAddress}`] : [`device:${device}`];
        const now = this.#options.now();
        const records = keys.map(key => this.#record(key, now));
        const blockedUntil = Math.max(...records.map(r => r.blockedUntil));
        if (blockedUntil > now) throw throttled('Too many failed logins', blockedUntil - now);
        if (records.some(r => r.pending >= this.#options.maxPendingPerKey)) throw throttled('Too many logins in progress', this.#options.baseDelayMs);
        for (const record of records) record.pending++;
        try {
            await this.#turn(clientAddress);
            let result: T | undefined;
            try {
                result = await verify();
            } finally {
                this.#release();
            }
            const at = this.#options.now();
            for (const record of records) {
                if (result === undefined) this.#fail(record, at);
                else Object.assign(record, { failures: 0, blockedUntil: 0 });
            }
            return result;
        } finally {
            for (const record of records) record.pending--;
            for (const [i, key] of keys.entries()) this.#forgetIfClean(key, records[i]);
        }
    }

    #record(key: string, now: number): Attempts {
        let record = this.#attempts.get(key);
        this.#attempts.delete(key);
        if (record && record.pending === 0 && this.#forgotten(record, now)) record = undefined;
        record ??= { failures: 0, lastFailureAt: 0, blockedUntil: 0, pending: 0 };
        this.#attempts.set(key, record);
        while (this.#attempts.size > this.#options.maxTrackedKeys) {
            const victim = this.#leastWorthKeeping(now, record);
            if (victim === undefined) break;
            this.#attempts.delete(victim);
        }
        return record;
    }

    /**
     * The key of the record to forget first: a forgotten or clean one, else the fewest failures
     * (oldest first among equals). Churn records have one failure each, so the scan usually stops
     * at the first. Records in flight, and `current`, are kept.
     */
    #leastWorthKeeping(now: number, current: Attempts): string | undefined {
        let victim: string | undefined;
        let fewest = Infinity;
        for (const [key, record] of this.#attempts) {
            if (record.pending > 0 || record === current) continue;
            if (record.failures === 0 || this.#forgotten(record, now)) return key;
            if (record.failures < fewest) [victim, fewest] = [key, record.failures];
            if (fewest <= 1) break;
        }
        return victim;
    }

    #forgotten(record: Attempts, now: number): boolean {
        return now - record.lastFailureAt > this.#options.forgetAfterMs;
    }

    #fail(record: Attempts, now: number): void {
        record.failures++;
        record.lastFailureAt = now;
        const over = record.failures - this.#options.freeFailures;
        if (over > 0) record.blockedUntil = now + Math.min(this.#options.baseDelayMs * 2 ** Math.min(over - 1, 30), this.#options.maxDelayMs);
    }

    #forgetIfClean(key: string, record: Attempts): void {
        if (record.pending === 0 && record.failures === 0 && this.#attempts.get(key) === record) this.#attempts.delete(key);
    }

    #turn(address: string): Promise<void> {
        if (this.#running < this.#options.maxConcurrentChecks) {
            this.#running++;
            return Promise.resolve();
        }
        if (this.#waitingCount >= this.#options.maxQueuedChecks && !this.#makeRoomFor(address)) {
            return Promise.reject(throttled('Too many logins in progress', this.#options.baseDelayMs));
        }
        return new Promise((start, refuse) => {
            let queue = this.#waiting.get(address);
            if (!queue) this.#waiting.set(address, queue = []);
            queue.push({ start, refuse });
            this.#waitingCount++;
        });
    }

    /** Refuses the newest waiter of the address with the most waiting, if it has more than `address`. */
    #makeRoomFor(address: string): boolean {
        const mine = this.#waiting.get(address)?.length ?? 0;
        let busiest: string | undefined;
        let most = mine;
        for (const [other, queue] of this.#waiting) {
            if (queue.length > most) [busiest, most] = [other, queue.length];
        }
        if (busiest === undefined) return false;
        this.#take(busiest, 'newest').refuse(throttled('Too many logins in progress from this address', this.#options.baseDelayMs));
        return true;
    }

    /** Hands the finished check's slot to the next address's oldest waiter, if any. */
    #release(): void {
        const next = this.#waiting.keys().next();
        if (next.done) return void this.#running--;
        this.#take(next.value, 'oldest').start();
    }

    /** Takes a waiter of `address`; the address, if it still waits, is served again after the others. */
    #take(address: string, which: 'oldest' | 'newest'): Waiter {
        const queue = this.#waiting.get(address)!;
        const waiter = which === 'oldest' ? queue.shift()! : queue.pop()!;
        this.#waitingCount--;
        this.#waiting.delete(address);
        if (queue.length > 0) this.#waiting.set(address, queue);
        return waiter;
    }
}

function throttled(reason: string, retryAfterMs: number): TsrpcError {
    const seconds = Math.max(1, Math.ceil(retryAfterMs / SECOND));
    return new TsrpcError(`${reason}, try again in ${seconds} s`, { code: LOGIN_THROTTLED, retryAfterMs });
}
