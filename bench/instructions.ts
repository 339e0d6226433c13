import { spawn, spawnSync } from 'child_process';
import { mkdtempSync, rmSync } from 'fs';
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
 *   node -r ts-node/register/transpile-only bench/instructions.ts [memory-read cookie]
 */
const WARMUP_CALLS = 30_000;
const CALLS = 10_000;
const V8_DETERMINISTIC = ['--predictable', '--single-threaded', '--random-seed=1', '--hash-seed=1'];

async function main(): Promise<void> {
    if (spawnSync('valgrind', ['--version']).status !== 0) throw new Error('bench/instructions.ts needs valgrind: apt-get install -y valgrind');
    const wanted = selectCases(INNER_CASE_NAMES, process.argv.slice(2));
    const entry = compiledEntry(__filename);
    const outDir = mkdtempSync(path.join(os.tmpdir(), 'tsrpc-session-instructions-'));
    const perCall = new Map<string, number>();
    try {
        for (const { name } of wanted) perCall.set(name, count(entry, name, path.join(outDir, `${name}.callgrind`)));
    } finally {
        rmSync(outDir, { recursive: true, force: true });
    }
    console.log(`server.callApi, instructions per call (callgrind), ${CALLS} calls after ${WARMUP_CALLS} of warm-up, each case in a process of its own`);
    for (const { name, baseline } of wanted) {
        const own = perCall.get(name)!;
        const extra = baseline === undefined ? '' : `plugin ${(own - perCall.get(baseline)!).toFixed(0).padStart(6)} = ${(100 * (own - perCall.get(baseline)!) / perCall.get(baseline)!).toFixed(1).padStart(5)} % of ${baseline}`;
        console.log(`${name.padEnd(14)} ${own.toFixed(0).padStart(7)} instructions/call   ${extra}`);
    }
}

function count(entry: string, name: string, outFile: string): number {
    const run = spawnSync('valgrind', [
        '--tool=callgrind', '--instr-atstart=no', `--callgrind-out-file=${outFile}`,
        process.execPath, ...V8_DETERMINISTIC, entry, '--child', name,
    ], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const collected = /Collected\s*:\s*(\d+)/.exec(run.stderr);
    if (run.status !== 0 || !collected) throw new Error(`callgrind run of ${name} failed (${run.status}):\n${run.stderr.slice(-2000)}`);
    return Number(collected[1]) / CALLS;
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
