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
    /** Usernames and addresses remembered; the longest unseen is forgotten first. @defaultValue 10000 */
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

/**
 * Throttles the example's Login: exponential back-off per username and per client address after a
 * few failures, a cap on logins in flight per username and per address, and a bound on password
 * checks running at once (scrypt runs on libuv's small thread pool: 400 parallel checks would
 * stall every other login and file read). A throttled login fails at once with LOGIN_THROTTLED,
 * its password unchecked; unknown usernames are throttled the same way as known ones.
 */
export class LoginGuard {
    readonly #options: LoginGuardOptions;
    /** Map order is recency order, so the longest unseen key is dropped first when full. */
    readonly #attempts = new Map<string, Attempts>();
    readonly #waiting: (() => void)[] = [];
    #running = 0;

    constructor(options: Partial<LoginGuardOptions> = {}) {
        const given = Object.entries(options).filter(([, value]) => value !== undefined);
        this.#options = { ...defaultLoginGuardOptions, ...Object.fromEntries(given) };
    }

    /**
     * Runs `verify` (the password check) unless the username or the client must wait; a result of
     * undefined counts as a failure, anything else clears both records.
     * @throws TsrpcError LOGIN_THROTTLED
     */
    async check<T>(username: string, clientAddress: string, verify: () => Promise<T | undefined>): Promise<T | undefined> {
        const keys = [`user:${username}`, `client:${clientAddress}`];
        const now = this.#options.now();
        const records = keys.map(key => this.#record(key, now));
        const blockedUntil = Math.max(...records.map(r => r.blockedUntil));
        if (blockedUntil > now) throw throttled('Too many failed logins', blockedUntil - now);
        if (records.some(r => r.pending >= this.#options.maxPendingPerKey)) throw throttled('Too many logins in progress', this.#options.baseDelayMs);
        if (this.#running >= this.#options.maxConcurrentChecks && this.#waiting.length >= this.#options.maxQueuedChecks) {
            throw throttled('Too many logins in progress', this.#options.baseDelayMs);
        }
        for (const record of records) record.pending++;
        try {
            await this.#turn();
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
        if (record && record.pending === 0 && now - record.lastFailureAt > this.#options.forgetAfterMs) record = undefined;
        record ??= { failures: 0, lastFailureAt: 0, blockedUntil: 0, pending: 0 };
        this.#attempts.set(key, record);
        for (const [oldest, old] of this.#attempts) {
            if (this.#attempts.size <= this.#options.maxTrackedKeys) break;
            if (old.pending === 0) this.#attempts.delete(oldest);
        }
        return record;
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

    #turn(): Promise<void> {
        if (this.#running < this.#options.maxConcurrentChecks) {
            this.#running++;
            return Promise.resolve();
        }
        return new Promise(ok => this.#waiting.push(ok));
    }

    /** Hands the finished check's slot straight to the next waiter, if any. */
    #release(): void {
        const next = this.#waiting.shift();
        if (next) next();
        else this.#running--;
    }
}

function throttled(reason: string, retryAfterMs: number): TsrpcError {
    const seconds = Math.max(1, Math.ceil(retryAfterMs / SECOND));
    return new TsrpcError(`${reason}, try again in ${seconds} s`, { code: LOGIN_THROTTLED, retryAfterMs });
}
