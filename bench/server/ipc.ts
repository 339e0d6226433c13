/** Messages between the load generator (parent) and a benchmark server (child process). */

export type ToServer = { type: 'reset' } | { type: 'stats' } | { type: 'stop' };

export interface ServerStats {
    /** Calls the handlers answered since the last reset. */
    calls: number;
    /** Store operations by method since the last reset, counted at the store. */
    storeOps: Record<string, number>;
    /** Server process CPU time (user + system) over wall time since the last reset; 1 = one core. */
    cpu: number;
}

export type FromServer =
    | { type: 'ready'; port: number }
    | { type: 'reset' }
    | { type: 'stats'; stats: ServerStats }
    | { type: 'failed'; message: string };

/** What each server implementation gives the child entry. */
export interface BenchServer {
    port: number;
    calls(): number;
    storeOps(): Record<string, number>;
    resetCounters(): void;
    stop(): Promise<void>;
}

export const BENCH_SECRETS = ['bench-secret-0123456789-abcdefghijklmnop'];
/** The app cookie clients get at setup and CookieGet reads. */
export const APP_COOKIE = { name: 'theme', value: 'dark' };
