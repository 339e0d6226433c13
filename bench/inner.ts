import { fork } from 'child_process';
import { compiledEntry } from './compiledEntry';
import { INNER_CASE_NAMES, innerCases, selectCases } from './innerCases';
import { medianBy } from './stats';

/**
 * The plugin's own cost per call: `server.callApi` one call after another, with no network and no
 * load generator competing for the cores. Each plugin case is set against a server without the
 * plugin answering the same request (`__cookie` included) the same way, as in `npm run bench`;
 * times are CPU time (user + system) per call.
 *
 * The cases run from compiled JavaScript, as an app runs in production (compiledEntry.ts), in one
 * process: under ts-node the TypeScript compiler's heap made every garbage collection dearer, and a
 * process of its own per case gave levels that moved by up to 70 % from one process to the next.
 * Slices interleave the cases over many rounds, so drift in the machine touches all of them alike
 * and the median leaves a neighbour's bursts out. `--ts-node` runs them in this process, under
 * ts-node, as this benchmark did before (bench/README.md gives both).
 *
 *   npm run bench:inner [-- memory-read cookie] [--ts-node]
 */
const CALLS = 5_000;
const ROUNDS = 25;
const WARMUP_ROUNDS = 3;

interface Slice {
    /** CPU µs per call. */
    us: number;
    storeOpsPerCall: number;
}

async function main(): Promise<void> {
    const args = process.argv.slice(2);
    const underTsNode = args.includes('--ts-node');
    const wanted = selectCases(INNER_CASE_NAMES, args.filter(arg => !arg.startsWith('--')));
    const names = wanted.map(c => c.name);
    const samples = underTsNode ? await interleaved(names) : await inCompiledProcess(names);
    const median = (name: string) => medianBy(samples.get(name)!, s => s.us).us;
    const where = underTsNode ? 'this process, under ts-node' : 'one process, compiled';
    console.log(`server.callApi, ${where}: median of ${ROUNDS} interleaved slices of ${CALLS} sequential calls per case, CPU µs per call`);
    for (const { name, baseline } of wanted) {
        const us = median(name);
        const ops = medianBy(samples.get(name)!, s => s.storeOpsPerCall).storeOpsPerCall;
        const cost = baseline === undefined ? undefined : us - median(baseline);
        const extra = cost === undefined ? '' : `plugin cost ${cost.toFixed(2).padStart(6)} µs = ${(100 * cost / median(baseline!)).toFixed(0).padStart(3)} % of ${baseline}`;
        console.log(`${name.padEnd(18)} ${us.toFixed(2).padStart(7)} µs/call  store ops/call ${ops.toFixed(2)}   ${extra}`);
    }
}

async function measure(run: () => Promise<unknown>, store: { total: number; reset(): void }): Promise<Slice> {
    store.reset();
    const started = process.cpuUsage();
    for (let i = 0; i < CALLS; i++) await run();
    const cpu = process.cpuUsage(started);
    return { us: (cpu.user + cpu.system) / CALLS, storeOpsPerCall: store.total / CALLS };
}

async function interleaved(names: string[]): Promise<Map<string, Slice[]>> {
    const { cases, store } = await innerCases(names);
    const samples = new Map(cases.map(c => [c.name, [] as Slice[]]));
    for (let round = -WARMUP_ROUNDS; round < ROUNDS; round++) {
        // Rounds interleave the cases, in alternating order, so drift in the machine touches all of them alike.
        for (const { name, run } of round % 2 === 0 ? cases : [...cases].reverse()) {
            const slice = await measure(run, store);
            if (round >= 0) samples.get(name)!.push(slice);
        }
    }
    return samples;
}

/** The cases run interleaved in a compiled child process, which sends their slices back. */
function inCompiledProcess(names: string[]): Promise<Map<string, Slice[]>> {
    return new Promise((resolve, reject) => {
        const child = fork(compiledEntry(__filename), ['--child', ...names], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
        let samples: Map<string, Slice[]> | undefined;
        child.once('message', (message: { samples: [string, Slice[]][] } | { failed: string }) => {
            if ('samples' in message) samples = new Map(message.samples);
            else reject(new Error(`bench:inner: ${message.failed}`));
        });
        child.once('exit', code => (samples ? resolve(samples) : reject(new Error(`bench:inner's process exited (${code}) without its slices`))));
    });
}

async function child(names: string[]): Promise<void> {
    try {
        const samples = await interleaved(names);
        process.send?.({ samples: [...samples] }, () => process.disconnect());
    } catch (e) {
        process.send?.({ failed: e instanceof Error ? e.message : String(e) }, () => process.disconnect());
    }
}

const childAt = process.argv.indexOf('--child');
const entry = childAt < 0 ? main() : child(process.argv.slice(childAt + 1));
entry.catch(e => {
    console.error(e);
    process.exitCode = 1;
});
