import type { Logger } from 'tsrpc';
import { TsrpcError } from './tsrpcError';
import { storeUnavailableError } from './errors';
import { SessionStore } from './stores/SessionStore';

/**
 * Runs store operations for the plugin: any failure, or an answer slower than `timeoutMs`, becomes
 * one clear TSRPC error (SESSION_STORE_UNAVAILABLE) instead of an internal error or a hung call.
 */
export class GuardedStore {
    readonly #store: SessionStore;
    readonly #timeoutMs: number;

    constructor(store: SessionStore, timeoutMs: number) {
        this.#store = store;
        this.#timeoutMs = timeoutMs;
    }

    async run<T>(operation: (store: SessionStore) => Promise<T>, logger?: Logger): Promise<T> {
        let timer: NodeJS.Timeout | undefined;
        try {
            const result = operation(this.#store);
            if (this.#timeoutMs === 0 || this.#store.inProcess) return await result;
            const timeout = new Promise<never>((_, reject) => {
                timer = setTimeout(() => reject(new Error(`store did not answer within ${this.#timeoutMs} ms`)), this.#timeoutMs);
                timer.unref();
            });
            return await Promise.race([result, timeout]);
        } catch (e) {
            if (e instanceof TsrpcError) throw e;
            logger?.error('[tsrpc-session] store operation failed:', (e as Error)?.message ?? e);
            throw storeUnavailableError();
        } finally {
            clearTimeout(timer);
        }
    }
}
