/** The part of mocha's interface (also Jest's and Vitest's) the contract suite uses. */
export interface TestHarness {
    describe(title: string, body: () => void): unknown;
    it(title: string, test: () => Promise<void> | void): unknown;
    beforeEach(hook: () => Promise<void> | void): unknown;
    afterEach(hook: () => Promise<void> | void): unknown;
}

/** The test framework's globals, when it installs them (mocha, Jest, Vitest with `globals`). */
export function globalHarness(): TestHarness {
    const g = globalThis as unknown as Partial<TestHarness>;
    const { describe, it, beforeEach, afterEach } = g;
    if (!describe || !it || !beforeEach || !afterEach) {
        throw new Error('tsrpc-session: describeStoreContract needs describe/it/beforeEach/afterEach: run it under mocha, or pass them as its third argument');
    }
    return { describe, it, beforeEach, afterEach };
}
