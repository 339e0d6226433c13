import { spawn, spawnSync } from 'child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'fs';
import os from 'os';
import path from 'path';

/** V8 made deterministic under callgrind: no background threads, fixed seeds. */
const V8_DETERMINISTIC = ['--predictable', '--single-threaded', '--random-seed=1', '--hash-seed=1'];

export interface CallgrindRun {
    /** Instructions counted once the child switched counting on, per measured call. */
    perCall: number;
    /** Instructions per call by function, when asked for. */
    byFunction?: Map<string, number>;
}

/**
 * Runs `entry args` (a compiled bundle) under callgrind with counting off; the child switches it on
 * after its warm-up ({@link startCounting}), makes `calls` calls and exits. `byFunction` also
 * splits the count by function, JIT code named through V8's `--perf-basic-prof` map.
 */
function runUnderCallgrind(entry: string, args: readonly string[], calls: number, outFile: string, byFunction = false): CallgrindRun {
    if (spawnSync('valgrind', ['--version']).status !== 0) throw new Error('callgrind needs valgrind: apt-get install -y valgrind');
    const run = spawnSync('valgrind', [
        '--tool=callgrind', '--instr-atstart=no', `--callgrind-out-file=${outFile}`,
        process.execPath, ...V8_DETERMINISTIC, ...(byFunction ? ['--perf-basic-prof'] : []), entry, ...args,
    ], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const collected = /Collected\s*:\s*(\d+)/.exec(run.stderr);
    const pid = /==(\d+)==/.exec(run.stderr)?.[1];
    if (run.status !== 0 || !collected || !pid) throw new Error(`callgrind run of ${args.join(' ')} failed (${run.status}):\n${run.stderr.slice(-2000)}`);
    const perfMap = `/tmp/perf-${pid}.map`;
    try {
        return { perCall: Number(collected[1]) / calls, ...(byFunction && { byFunction: instructionsByFunction(outFile, perfMap, calls) }) };
    } finally {
        rmSync(perfMap, { force: true });
    }
}

/**
 * Each named case of `entry` under callgrind, in a process of its own (`entry --child <name>`,
 * which calls {@link startCounting} after its warm-up), its output in a temporary folder removed after.
 */
export function runCasesUnderCallgrind(entry: string, names: readonly string[], calls: number, byFunction: boolean): Map<string, CallgrindRun> {
    const outDir = mkdtempSync(path.join(os.tmpdir(), 'tsrpc-session-callgrind-'));
    const counted = new Map<string, CallgrindRun>();
    try {
        for (const name of names) counted.set(name, runUnderCallgrind(entry, ['--child', name], calls, path.join(outDir, `${name}.callgrind`), byFunction));
    } finally {
        rmSync(outDir, { recursive: true, force: true });
    }
    return counted;
}

/** In the child under callgrind: counting starts now (the event loop idles, counting nothing, until callgrind answers). */
export function startCounting(): Promise<void> {
    return new Promise((resolve, reject) => {
        spawn('callgrind_control', ['--instr=on', String(process.pid)], { stdio: 'ignore' })
            .on('error', reject)
            .on('exit', code => (code === 0 ? resolve() : reject(new Error(`callgrind_control exited with ${code}`))));
    });
}

/** callgrind_annotate's per-function totals, JIT code (an address to callgrind) named from V8's perf map, per call. */
function instructionsByFunction(outFile: string, perfMap: string, calls: number): Map<string, number> {
    const jit = existsSync(perfMap) ? readFileSync(perfMap, 'utf8').split('\n').filter(Boolean).map(line => {
        const [start, size, ...name] = line.split(' ');
        return { start: parseInt(start, 16), end: parseInt(start, 16) + parseInt(size, 16), name: name.join(' ').replace(/^(JS:|LazyCompile:|Function:)?[~*^+]?/, '') };
    }).sort((a, b) => a.start - b.start) : [];
    const nameAt = (address: number) => {
        let low = 0;
        let high = jit.length - 1;
        while (low <= high) {
            const mid = (low + high) >> 1;
            if (jit[mid].start > address) high = mid - 1;
            else if (jit[mid].end <= address) low = mid + 1;
            else return jit[mid].name;
        }
        return '(JIT code, unnamed)';
    };
    const annotated = spawnSync('callgrind_annotate', ['--threshold=100', outFile], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).stdout;
    const totals = new Map<string, number>();
    for (const line of annotated.split('\n')) {
        const row = /^\s*([\d,]+) \([^)]*\)\s+\S*?:(.*?)(?: \[.*\])?$/.exec(line);
        if (!row) continue;
        const address = /^0x([0-9a-f]+)$/.exec(row[2]);
        const name = address ? nameAt(parseInt(address[1], 16)) : row[2];
        totals.set(name, (totals.get(name) ?? 0) + Number(row[1].replace(/,/g, '')) / calls);
    }
    return totals;
}

/** The `top` functions whose instructions per call differ most between a case and its twin. */
export function printDifferences(own: Map<string, number>, twin: Map<string, number>, top: number): void {
    const names = [...new Set([...own.keys(), ...twin.keys()])];
    const differences = names.map(name => [name, (own.get(name) ?? 0) - (twin.get(name) ?? 0)] as const);
    for (const [name, instructions] of differences.sort((a, b) => Math.abs(b[1]) - Math.abs(a[1])).slice(0, top)) {
        console.log(`    ${instructions.toFixed(0).padStart(7)}  ${name.slice(0, 140)}`);
    }
}
