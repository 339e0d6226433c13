/**
 * A clock for the plugin's `now` option: time moves only when a test advances it, so timeouts,
 * touch windows and renewals are tested without sleeping. It starts at the real time, because
 * Redis expires keys at the times the plugin computes (PEXPIREAT) on its own real clock.
 */
export class TestClock {
    #now = Date.now();

    readonly now = (): number => this.#now;

    async advance(ms: number): Promise<void> {
        this.#now += ms;
    }
}
