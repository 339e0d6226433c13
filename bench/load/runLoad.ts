import os from 'os';
import { setTimeout as sleep } from 'timers/promises';

export interface LoadPhases {
    warmupMs: number;
    durationMs: number;
    /** Runs, under load, just before the measured window opens (the server zeroes its counters). */
    onMeasureStart(): Promise<void>;
    /** Runs as soon as the window closes, still under load (the server reports its counters). */
    onMeasureEnd(): Promise<void>;
}

export interface LoadResult {
    /** Calls that completed successfully inside the measured window. */
    calls: number;
    errors: number;
    firstError?: string;
    seconds: number;
    /** Latency of every successful call of the window, in milliseconds. */
    latenciesMs: number[];
    /** Load generator CPU time over wall time in the window; 1 = one core. */
    cpu: number;
    /** Busy time of the whole machine over wall time in the window, whoever used it; 1 = one core. */
    hostCpu: number;
}

/**
 * Each worker calls in a closed loop (next call when the last one answered), so concurrency is
 * exactly the number of workers. The load runs without pause from warm-up into the window.
 */
export async function runLoad(workers: readonly (() => Promise<void>)[], phases: LoadPhases): Promise<LoadResult> {
    let measuring = false;
    let running = true;
    const latenciesMs: number[] = [];
    let errors = 0;
    let firstError: string | undefined;

    const loops = workers.map(async call => {
        while (running) {
            const start = process.hrtime.bigint();
            try {
                await call();
            } catch (e) {
                firstError ??= (e as Error)?.message ?? String(e);
                if (measuring) errors++;
                continue;
            }
            if (measuring) latenciesMs.push(Number(process.hrtime.bigint() - start) / 1e6);
        }
    });

    try {
        await sleep(phases.warmupMs);
        await phases.onMeasureStart();
        const cpuStart = process.cpuUsage();
        const hostStart = hostBusyMs();
        const wallStart = process.hrtime.bigint();
        measuring = true;
        await sleep(phases.durationMs);
        measuring = false;
        const seconds = Number(process.hrtime.bigint() - wallStart) / 1e9;
        const cpu = process.cpuUsage(cpuStart);
        const hostCpu = (hostBusyMs() - hostStart) / 1000 / seconds;
        await phases.onMeasureEnd();
        return { calls: latenciesMs.length, errors, firstError, seconds, latenciesMs, cpu: (cpu.user + cpu.system) / 1e6 / seconds, hostCpu };
    } finally {
        running = false;
        await Promise.all(loops);
    }
}

/** Non-idle CPU time of all cores since boot, in ms: with our own processes' time, it shows what else ran. */
function hostBusyMs(): number {
    return os.cpus().reduce((sum, { times }) => sum + times.user + times.nice + times.sys + times.irq, 0);
}
