import { spawn, spawnSync } from 'child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'fs';
import os from 'os';
import path from 'path';
import { compiledEntry } from './compiledEntry';
import { INNER_CASE_NAMES, innerCases, selectCases } from './innerCases';

/**
 * Machine instructions per call of the `bench:inner` cases, counted by valgrind's callgrind: a
 * figure that does not move with the machine's load (the same build gives the same count to about
 * 0.2 %), for telling apart changes of a few percent that CPU time cannot resolve on a shared
 * machine. It counts work, not time: a cache miss or a mispredicted branch costs no instruction.
 *
 * Each case runs compiled in a process of its own under callgrind, with V8 made deterministic
 * (`--predictable --single-threaded`, fixed seeds); instrumentation starts after the warm-up
 * (`callgrind_control --instr=on`), so only the measured calls are counted. Needs valgrind
 * (`apt-get install -y valgrind`); about 20 seconds per case.
 *
 * `--top n` also lists, per plugin case, the n functions whose instructions differ most from the
 * twin's (JIT code named through V8's `--perf-basic-prof` map).
 *
 *   npm run bench:instr [-- memory-read cookie] [--top 20]
 */
const WARMUP_CALLS = 30_000;
const CALLS = 10_000;
const V8_DETERMINISTIC = ['--predictable', '--single-threaded', '--random-seed=1', '--hash-seed=1'];

interface Counted {
    perCall: number;
    /** Instructions per call by function, when asked for (`--top`). */
    byFunction?: Map<string, number>;
}

async function main(): Promise<void> {
    if (spawnSync('valgrind', ['--version']).status !== 0) throw new Error('bench/instructions.ts needs valgrind: apt-get install -y valgrind');
    const args = process.argv.slice(2);
    const topAt = args.indexOf('--top');
    const top = topAt < 0 ? 0 : Number(args.splice(topAt, 2)[1]);
    const wanted = selectCases(INNER_CASE_NAMES, args);
    const entry = compiledEntry(__filename);
    const outDir = mkdtempSync(path.join(os.tmpdir(), 'tsrpc-session-instructions-'));
    const counted = new Map<string, Counted>();
    try {
        for (const { name } of wanted) counted.set(name, count(entry, name, outDir, top > 0));
    } finally {
        rmSync(outDir, { recursive: true, force: true });
    }
    console.log(`server.callApi, instructions per call (callgrind), ${CALLS} calls after ${WARMUP_CALLS} of warm-up, each case in a process of its own`);
    for (const { name, baseline } of wanted) {
        const own = counted.get(name)!;
        const twin = baseline === undefined ? undefined : counted.get(baseline)!;
        const extra = twin === undefined ? '' : `plugin ${(own.perCall - twin.perCall).toFixed(0).padStart(6)} = ${(100 * (own.perCall - twin.perCall) / twin.perCall).toFixed(1).padStart(5)} % of ${baseline}`;
        console.log(`${name.padEnd(14)} ${own.perCall.toFixed(0).padStart(7)} instructions/call   ${extra}`);
        if (twin?.byFunction && own.byFunction) printDifferences(own.byFunction, twin.byFunction, top);
    }
}

function count(entry: string, name: string, outDir: string, byFunction: boolean): Counted {
    const outFile = path.join(outDir, `${name}.callgrind`);
    const run = spawnSync('valgrind', [
        '--tool=callgrind', '--instr-atstart=no', `--callgrind-out-file=${outFile}`,
        process.execPath, ...V8_DETERMINISTIC, ...(byFunction ? ['--perf-basic-prof'] : []), entry, '--child', name,
    ], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const collected = /Collected\s*:\s*(\d+)/.exec(run.stderr);
    const pid = /==(\d+)==/.exec(run.stderr)?.[1];
    if (run.status !== 0 || !collected || !pid) throw new Error(`callgrind run of ${name} failed (${run.status}):\n${run.stderr.slice(-2000)}`);
    const perfMap = `/tmp/perf-${pid}.map`;
    try {
        return { perCall: Number(collected[1]) / CALLS, byFunction: byFunction ? instructionsByFunction(outFile, perfMap) : undefined };
    } finally {
        rmSync(perfMap, { force: true });
    }
}

/** callgrind_annotate's per-function totals, JIT code (an address to callgrind) named from V8's perf map, per call. */
function instructionsByFunction(outFile: string, perfMap: string): Map<string, number> {
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
        totals.set(name, (totals.get(name) ?? 0) + Number(row[1].replace(/,/g, '')) / CALLS);
    }
    return totals;
}

function printDifferences(own: Map<string, number>, twin: Map<string, number>, top: number): void {
    const names = [...new Set([...own.keys(), ...twin.keys()])];
    const differences = names.map(name => [name, (own.get(name) ?? 0) - (twin.get(name) ?? 0)] as const);
    for (const [name, instructions] of differences.sort((a, b) => Math.abs(b[1]) - Math.abs(a[1])).slice(0, top)) {
        console.log(`    ${instructions.toFixed(0).padStart(7)}  ${name.slice(0, 140)}`);
    }
}

/** Under callgrind: warm up, switch instrumentation on, make the measured calls, exit at once. */
async function child(name: string): Promise<void> {
    const [{ run }] = (await innerCases([name])).cases;
    for (let i = 0; i < WARMUP_CALLS; i++) await run();
    await new Promise<void>((resolve, reject) => {
        // The event loop idles (no instructions) until callgrind has answered.
        spawn('callgrind_control', ['--instr=on', String(process.pid)], { stdio: 'ignore' })
            .on('error', reject)
            .on('exit', code => (code === 0 ? resolve() : reject(new Error(`callgrind_control exited with ${code}`))));
    });
    for (let i = 0; i < CALLS; i++) await run();
    process.exit(0);
}

const childAt = process.argv.indexOf('--child');
(childAt < 0 ? main() : child(process.argv[childAt + 1])).catch(e => {
    console.error(e);
    process.exit(1);
});
