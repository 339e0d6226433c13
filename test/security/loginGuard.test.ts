import assert from 'assert';
import { LoginGuard } from '../../backend/src/hardening/loginGuard';

/** A password check that finishes when the test says so, and counts how many run at once. */
class GatedChecks {
    running = 0;
    maxRunning = 0;
    readonly #gates: (() => void)[] = [];

    check = async (): Promise<undefined> => {
        this.running++;
        this.maxRunning = Math.max(this.maxRunning, this.running);
        await new Promise<void>(ok => this.#gates.push(ok));
        this.running--;
        return undefined;
    };

    /** Lets every check finish, those queued behind them too, until all `logins` have settled. */
    async settle(logins: Promise<unknown>[]): Promise<string[]> {
        let settled = false;
        const outcomes = Promise.allSettled(logins).then(results => {
            settled = true;
            return results.map(codeOf);
        });
        while (!settled) {
            this.#gates.splice(0).forEach(open => open());
            await new Promise(ok => setImmediate(ok));
        }
        return outcomes;
    }
}

function codeOf(outcome: PromiseSettledResult<unknown>): string {
    return outcome.status === 'fulfilled' ? 'checked' : String((outcome.reason as { code?: string }).code);
}

describe('example LoginGuard', () => {
    it('runs at most maxConcurrentChecks password checks at once, queues maxQueuedChecks, refuses the rest', async () => {
        const guard = new LoginGuard({ maxConcurrentChecks: 2, maxQueuedChecks: 5 });
        const checks = new GatedChecks();
        // 20 different users from 20 addresses: no per-key limit applies, only the global bound.
        const logins = Array.from({ length: 20 }, (_, i) => guard.check(`user${i}`, `10.0.0.${i}`, checks.check));
        // Refusals come at once; they are looked at below.
        for (const login of logins) login.catch(() => undefined);
        await new Promise(ok => setImmediate(ok));
        assert.strictEqual(checks.running, 2);
        const outcomes = await checks.settle(logins);
        assert.strictEqual(checks.maxRunning, 2);
        // Which ones are refused depends on the fair queue (a newcomer may take a place); how many does not.
        assert.strictEqual(outcomes.filter(o => o === 'checked').length, 7);
        assert.strictEqual(outcomes.filter(o => o === 'LOGIN_THROTTLED').length, 13);
    });

    it('lets one username or one address have maxPendingPerKey logins in flight', async () => {
        const guard = new LoginGuard({ maxPendingPerKey: 2 });
        const checks = new GatedChecks();
        const sameUser = [1, 2, 3].map(i => guard.check('alice', `10.0.1.${i}`, checks.check));
        const sameAddress = [1, 2, 3].map(i => guard.check(`user${i}`, '10.0.2.1', checks.check));
        const outcomes = await checks.settle([...sameUser, ...sameAddress]);
        assert.deepStrictEqual(outcomes, ['checked', 'checked', 'LOGIN_THROTTLED', 'checked', 'checked', 'LOGIN_THROTTLED']);
    });

    it('doubles the back-off up to maxDelayMs, and forgets a key after forgetAfterMs without failures', async () => {
        let now = 1_000_000;
        const guard = new LoginGuard({ freeFailures: 1, baseDelayMs: 100, maxDelayMs: 350, forgetAfterMs: 10_000, now: () => now });
        const fail = async () => undefined;
        const retryAfter = async () => {
            try {
                await guard.check('alice', '10.0.3.1', fail);
                return 'checked';
            } catch (e) {
                return (e as { retryAfterMs: number }).retryAfterMs;
            }
        };
        assert.strictEqual(await retryAfter(), 'checked');
        const waits: unknown[] = [];
        for (let i = 0; i < 4; i++) {
            assert.strictEqual(await retryAfter(), 'checked');
            const wait = await retryAfter();
            waits.push(wait);
            now += wait as number;
        }
        assert.deepStrictEqual(waits, [100, 200, 350, 350]);
        now += 10_001;
        assert.strictEqual(await retryAfter(), 'checked', 'a fresh start: one free failure again');
        assert.strictEqual(await retryAfter(), 'checked');
        assert.strictEqual(await retryAfter(), 100);
    });

    it('remembers at most maxTrackedKeys usernames and addresses', async () => {
        const guard = new LoginGuard({ freeFailures: 0, maxTrackedKeys: 4 });
        for (let i = 0; i < 10; i++) await guard.check(`user${i}`, `10.0.4.${i}`, async () => undefined);
        // user0's record was forgotten to make room: it is no longer in back-off.
        await assert.doesNotReject(guard.check('user0', '10.0.5.1', async () => 'ok'));
        await assert.rejects(guard.check('user9', '10.0.5.2', async () => 'ok'), { code: 'LOGIN_THROTTLED' });
    });

    // Issue 22 item 3.
    it('keeps alice\'s back-off while 10,100 failed logins with throwaway usernames churn the map', async () => {
        let now = 1_000_000;
        const guard = new LoginGuard({ freeFailures: 1, maxTrackedKeys: 10_000, now: () => now });
        const fail = async () => undefined;
        await guard.check('alice', '10.1.0.1', fail);
        await guard.check('alice', '10.1.0.2', fail);
        for (let i = 0; i < 10_100; i++) {
            await guard.check(`throwaway${i}`, `10.2.${i >> 8}.${i & 255}`, fail);
        }
        await assert.rejects(guard.check('alice', '10.1.0.3', async () => 'ok'), { code: 'LOGIN_THROTTLED' });
    });

    it('lets the owner in from a device that logged in before while her username is locked; guessing elsewhere stays locked', async () => {
        let now = 1_000_000;
        const guard = new LoginGuard({ freeFailures: 5, maxDelayMs: 15 * 60_000, now: () => now });
        for (let i = 0; i < 9; i++) {
            now += 60_000;
            await guard.check('alice', `10.3.0.${i}`, async () => undefined);
        }
        await assert.rejects(guard.check('alice', '10.4.0.1', async () => 'ok'), { code: 'LOGIN_THROTTLED' });
        assert.strictEqual(await guard.check('alice', '10.4.0.1', async () => 'ok', 'alices-laptop'), 'ok');
        await assert.rejects(guard.check('alice', '10.3.0.99', async () => 'ok'), { code: 'LOGIN_THROTTLED' });
    });

    it('refuses the flooder, not the next user: 60 addresses x 2 wrong logins in flight, then 5 real logins', async () => {
        const guard = new LoginGuard();
        const checks = new GatedChecks();
        const flood = Array.from({ length: 120 }, (_, i) => guard.check(`victim${i}`, `10.5.0.${i >> 1}`, checks.check));
        const real = Array.from({ length: 5 }, (_, i) => guard.check(`user${i}`, `10.6.0.${i}`, checks.check));
        const outcomes = await checks.settle([...flood, ...real]);
        assert.deepStrictEqual(outcomes.slice(120), Array(5).fill('checked'));
    });
});
