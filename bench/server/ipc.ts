/** Messages between the load generator (parent) and a benchmark server (child process). */

/** `reset` opens a measured window (and starts a CPU profile named `profileName`, when profiling); `stats` closes it. */
export type ToServer = { type: 'reset'; profileName?: string } | { type: 'stats' } | { type: 'stop' };

export interface ServerStats {
    /** Calls the handlers answered since the last reset. */
    calls: number;
    /** Store operations by method since the last reset, counted at the store. */
    storeOps: Record<string, number>;
    /** Server process CPU time (user + system) over wall time since the last reset; 1 = one core. */
    cpu: number;
    /** The same CPU time in µs, and the part of it spent in the kernel (system time: sockets, mostly). */
    cpuMicros: number;
    systemMicros: number;
    /**
     * Times the process went to sleep (voluntary context switches, all its threads): an event loop
     * that finds no work waits in epoll and must be woken. Fewer per call means more calls per wakeup.
     */
    sleeps: number;
    /** read/write-family syscalls (`/proc/self/io` syscr + syscw; NaN where there is none): socket reads and writes. */
    ioSyscalls: number;
    /**
     * CPU time of the main thread alone (JavaScript, the event loop), in µs, from the kernel's
     * per-thread schedstat (NaN where there is none): the rest of `cpuMicros` is V8's and libuv's
     * other threads (GC helpers, background compilers, the thread pool).
     */
    mainThreadMicros: number;
    /** Garbage collections (V8's `gc` performance entries): scavenges, the others (mark-compact and the rest), and their pause time in µs. */
    scavenges: number;
    majorGcs: number;
    gcMicros: number;
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
/**
 * A session cookie as well-formed as a real one (43 + 1 + 43 base64url characters) whose signature
 * no secret made: the bare twins carry it, and the rejected scenario's clients keep sending it.
 */
export const FIXED_SID = `${'A'.repeat(43)}.${'B'.repeat(43)}`;
/**
 * A value as long as the seal a sealed write carries in this benchmark (232 characters: the
 * session of `Setup` with a short `benchValue`, in the seal format of issue 24's third pass), and
 * the one the twin answers: `bare-write-sealed`'s clients send it and get it back, so that row
 * costs what the seal's bytes cost TSRPC and the socket both ways, and nothing else. Fixed, so a
 * smaller seal shows as a gain against it.
 */
export const FIXED_SEAL = 'A'.repeat(232);
export const FIXED_SEAL_ANSWER = 'B'.repeat(232);
/**
 * The same size again: a write carrying it is answered as FIXED_SEAL's after BUSY_MICROS of busy
 * CPU in the handler, about what the plugin's own work on a sealed write costs in process. What
 * that costs over WebSocket, beside `bare-write-sealed`, is what the same work costs there once
 * the server answers fewer calls per second, whoever does it.
 */
export const FIXED_SEAL_BUSY = 'C'.repeat(232);
export const BUSY_MICROS = 15;
/** The lifetime a sealed write's answer gives its seal (the plugin's default idle timeout). */
export const SEAL_MAX_AGE_MS = 1_800_000;
/** What SessionRead answers after Setup: the bare twin answers the same. */
export const SETUP_VALUE = 'initial';
