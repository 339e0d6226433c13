import { readFileSync } from 'fs';
import { constants, PerformanceObserver } from 'perf_hooks';
import type { ServerSpec } from '../scenarios';
import { startExpressServer } from './expressServer';
import { BenchServer, FromServer, ToServer } from './ipc';
import { startTsrpcServer } from './tsrpcServer';
import { WindowProfiler } from './windowProfiler';

/**
 * Entry of a benchmark server process: the server owns this process's event loop and CPU, and the
 * load generator (the parent) its own. Driven over IPC; exits when the parent goes away.
 * Arguments: the server spec as JSON, and a directory for CPU profiles of the measured windows.
 */
async function main(): Promise<void> {
    const spec = JSON.parse(process.argv[2]) as ServerSpec;
    const profiler = process.argv[3] ? new WindowProfiler(process.argv[3]) : undefined;
    const send = (message: FromServer) => process.send!(message);
    process.on('disconnect', () => process.exit(1));

    let server: BenchServer;
    try {
        server = spec.framework === 'tsrpc' ? await startTsrpcServer(spec) : await startExpressServer(spec);
    } catch (e) {
        send({ type: 'failed', message: (e as Error)?.message ?? String(e) });
        process.exit(1);
    }

    let cpuStart = process.cpuUsage();
    let wallStart = process.hrtime.bigint();
    const gc = gcCounter();
    let sleepsStart = process.resourceUsage().voluntaryContextSwitches;
    let syscallsStart = ioSyscalls();
    let mainStart = mainThreadMicros();
    process.on('message', async (message: ToServer) => {
        if (message.type === 'reset') {
            if (profiler && message.profileName) await profiler.start(message.profileName);
            server.resetCounters();
            cpuStart = process.cpuUsage();
            wallStart = process.hrtime.bigint();
            sleepsStart = process.resourceUsage().voluntaryContextSwitches;
            syscallsStart = ioSyscalls();
            mainStart = mainThreadMicros();
            gc.reset();
            send({ type: 'reset' });
        } else if (message.type === 'stats') {
            const cpu = process.cpuUsage(cpuStart);
            const wallMicros = Number(process.hrtime.bigint() - wallStart) / 1000;
            const stats = {
                calls: server.calls(), storeOps: server.storeOps(), cpu: (cpu.user + cpu.system) / wallMicros, cpuMicros: cpu.user + cpu.system, systemMicros: cpu.system,
                sleeps: process.resourceUsage().voluntaryContextSwitches - sleepsStart, ioSyscalls: ioSyscalls() - syscallsStart, ...gc.counts,
                mainThreadMicros: mainThreadMicros() - mainStart,
            };
            await profiler?.stop(stats.calls);
            send({ type: 'stats', stats });
        } else {
            await server.stop().catch(() => undefined);
            process.exit(0);
        }
    });
    send({ type: 'ready', port: server.port });
}

/** V8's garbage collections since the last reset, by kind, with their pause time. */
function gcCounter(): { counts: { scavenges: number; majorGcs: number; gcMicros: number }; reset(): void } {
    const counts = { scavenges: 0, majorGcs: 0, gcMicros: 0 };
    new PerformanceObserver(list => {
        for (const entry of list.getEntries()) {
            const kind = (entry as { detail?: { kind?: number } }).detail?.kind;
            if (kind === constants.NODE_PERFORMANCE_GC_MINOR) counts.scavenges++;
            else counts.majorGcs++;
            counts.gcMicros += entry.duration * 1000;
        }
    }).observe({ entryTypes: ['gc'] });
    return { counts, reset: () => Object.assign(counts, { scavenges: 0, majorGcs: 0, gcMicros: 0 }) };
}

/** CPU time of this process's main thread so far, µs (Linux's per-thread schedstat, in ns), NaN elsewhere. */
function mainThreadMicros(): number {
    try {
        return Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]) / 1000;
    } catch {
        return NaN;
    }
}

/** read + write syscalls of this process so far (Linux's /proc/self/io), NaN elsewhere. */
function ioSyscalls(): number {
    try {
        const io = readFileSync('/proc/self/io', 'utf8');
        return Number(/syscr: (\d+)/.exec(io)?.[1]) + Number(/syscw: (\d+)/.exec(io)?.[1]);
    } catch {
        return NaN;
    }
}

void main();
