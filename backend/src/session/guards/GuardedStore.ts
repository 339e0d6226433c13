import type { Logger } from 'tsrpc';
import { TsrpcError } from '../plugin/tsrpcError';
import { storeUnavailableError } from '../plugin/errors';
import { SessionActivity, SessionChanges, SessionRecord, SessionStore } from '../stores/SessionStore';
import type { SessionTelemetry } from '../observability/telemetry';
import { StoreOperation, StoreWrapper } from '../stores/StoreWrapper';

/** Marks "not settled yet" in the race that spares already-settled operations a timer. */
const PENDING = Symbol('pending');

/**
 * The store as the plugin uses it: any failure, or an answer slower than `timeoutMs`, becomes one
 * clear TSRPC error (SESSION_STORE_UNAVAILABLE) instead of an internal error or a hung call.
 */
export class GuardedStore extends StoreWrapper {
    readonly #timeoutMs: number;
    readonly #logger: Logger | undefined;
    readonly #telemetry: SessionTelemetry | undefined;

    constructor(inner: SessionStore, timeoutMs: number, logger?: Logger, telemetry?: SessionTelemetry) {
        super(inner);
        this.#timeoutMs = timeoutMs;
        this.#logger = logger;
        this.#telemetry = telemetry;
    }

    protected override around<T>(operation: StoreOperation, run: () => Promise<T>): Promise<T> {
        // The span and the timing cover the guard too: a timeout is the operation's duration.
        const active = this.#telemetry?.active();
        return active ? this.#telemetry!.measureStore(active, operation, () => this.#guarded(operation, run)) : this.#guarded(operation, run);
    }

    /**
     * A read the store answers from memory cannot hang, so it needs no timer. With a trace being
     * recorded it is left to `load`, whose span measures it.
     */
    loadCached(key: string, now: number): SessionRecord | null | undefined {
        if (this.inner.loadCached === undefined || this.#telemetry?.active()) return undefined;
        try {
            return this.inner.loadCached(key, now);
        } catch (e) {
            throw this.#failure('load', e);
        }
    }

    /**
     * An update the store does at once in this process: no I/O, so no timer and no promise. With
     * a trace being recorded it is left to `update`, whose span measures it.
     */
    updateNow(key: string, changes: SessionChanges, activity: SessionActivity): boolean | undefined {
        if (this.inner.updateNow === undefined || this.#telemetry?.active()) return undefined;
        try {
            return this.inner.updateNow(key, changes, activity);
        } catch (e) {
            throw this.#failure('update', e);
        }
    }

    async #guarded<T>(operation: StoreOperation, run: () => Promise<T>): Promise<T> {
        try {
            const result = run();
            // An in-process store (MemoryStore) has settled already: its value, and no timer.
            const first = await Promise.race([result, PENDING]);
            if (first !== PENDING) return first as T;
            return await (this.#timeoutMs === 0 ? result : this.#withinTimeout(result));
        } catch (e) {
            throw this.#failure(operation, e);
        }
    }

    /** What the call sees of a failed operation: the TSRPC error it threw, or SESSION_STORE_UNAVAILABLE (logged). */
    #failure(operation: StoreOperation, e: unknown): unknown {
        if (e instanceof TsrpcError) return e;
        this.#logger?.error(`[tsrpc-session] store operation ${operation} failed:`, (e as Error)?.message ?? e);
        return storeUnavailableError();
    }

    async #withinTimeout<T>(result: Promise<T>): Promise<T> {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`store did not answer within ${this.#timeoutMs} ms`)), this.#timeoutMs);
            timer.unref();
        });
        try {
            return await Promise.race([result, timeout]);
        } finally {
            clearTimeout(timer);
        }
    }
}
