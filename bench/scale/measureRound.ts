import { readFile } from 'fs/promises';
import { runLoad } from '../load/runLoad';
import { Population } from './population';
import type { ScaleServer } from './runScale';
import { SessionCaller } from './sessionCaller';

/** Linux's USER_HZ: what /proc/<pid>/stat counts CPU time in. */
export const CLOCK_TICKS_PER_SECOND = 100;

export interface RoundSettings {
    concurrency: number;
    warmupMs: number;
    durationMs: number;
}

export interface RoundResult {
    callsPerSecond: number;
    /** The Node server's CPU time per call over the measured window. */
    serverMicros: number;
    /** All `redisPids`' CPU time per call over the same window; undefined without pids. */
    redisMicros: number | undefined;
    errors: number;
}

/**
 * One measured round of bench:scale and bench:cluster: `concurrency` clients each calling as the
 * session `pick` names (a read or a write of `benchValue`), beside the server's and the
 * redis-servers' CPU time over the measured window.
 */
export async function measureRound(
    server: ScaleServer, population: Population, pick: () => number, operation: 'read' | 'write', redisPids: readonly number[], s: RoundSettings,
): Promise<RoundResult> {
    const callers = Array.from({ length: s.concurrency }, () => new SessionCaller(server.port));
    let sequence = 0;
    const workers = callers.map(caller => async () => {
        const sid = population.cookie(pick());
        if (operation === 'write') {
            await caller.call('SessionWrite', { value: `v${sequence++}` }, sid);
            return;
        }
        // A read that finds no session would be cheap and wrong: count it as an error.
        const res = await caller.call('SessionRead', {}, sid);
        if (typeof res.value !== 'string') throw new Error('a stored session was not found');
    });
    const redisTicks = async () => (await Promise.all(redisPids.map(cpuTicks))).reduce((a, b) => a + b, 0);
    let stats: { calls: number; cpuMicros: number } | undefined;
    let ticks = 0;
    try {
        const load = await runLoad(workers, {
            warmupMs: s.warmupMs,
            durationMs: s.durationMs,
            onMeasureStart: async () => {
                await server.request({ type: 'reset' });
                ticks = await redisTicks();
            },
            onMeasureEnd: async () => {
                stats = await server.request({ type: 'stats' }) as { calls: number; cpuMicros: number };
                ticks = (await redisTicks()) - ticks;
            },
        });
        if (!stats) throw new Error('the measured window never ended');
        return {
            callsPerSecond: load.calls / load.seconds,
            serverMicros: stats.cpuMicros / stats.calls,
            redisMicros: redisPids.length > 0 ? (ticks / CLOCK_TICKS_PER_SECOND) * 1e6 / stats.calls : undefined,
            errors: load.errors,
        };
    } finally {
        for (const caller of callers) caller.close();
    }
}

/** User + system CPU of a process in clock ticks (Linux /proc), 0 when unknown. */
export async function cpuTicks(pid: number | undefined): Promise<number> {
    if (!pid) return 0;
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
}
