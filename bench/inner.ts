import { ChildProcess, fork } from 'child_process';
import { compiledEntry } from './compiledEntry';
import { INNER_CASE_NAMES, innerCases, selectCases } from './innerCases';
import { medianBy } from './stats';

/**
 * The plugin's own cost per call: `server.callApi` one call after another, with no network and no
 * load generator competing for the cores. Each plugin case is set against a server without the
 * plugin answering the same request (`__cookie` included) the same way, as in `npm run bench`;
 * times are CPU time (user + system) per call.
 *
 * Each case runs in a process of its own, as an app runs one server, from compiled JavaScript, as
 * an app runs in production (compiledEntry.ts): servers sharing a process share TSRPC's code, whose
 * inline caches then see every server's calls, and ts-node's compiler heap makes every garbage
 * collection dearer. `--one-process` runs all cases in this process, under ts-node, as this
 * benchmark did before (bench/README.md gives both).
 *
 *   npm run bench:inner [-- memory-read cookie] [--one-process]
 */
// Many rounds: on a shared machine a neighbour's burst then spoils a few slices of every case
// alike, and the median leaves them out. Slices long enough that a process woken for its turn
// runs mostly with warm caches.
const CALLS = 5_000;
const ROUNDS = 25;
const WARMUP_ROUNDS = 3;
/** Calls a case's process makes before its first slice, so that V8 has optimised its code (tiering goes by calls). */
const WARMUP_CALLS = 40_000;

interface Slice {
    /** CPU µs per call. */
    us: number;
    storeOpsPerCall: number;
}

/** One case, measured a slice at a time. */
interface CaseRunner {
    name: string;
    baseline?: string;
    slice(): Promise<Slice>;
    close(): void;
}

async function main(): Promise<void> {
    const args = process.argv.slice(2);
    const oneProcess = args.includes('--one-process');
    const wanted = selectCases(INNER_CASE_NAMES, args.filter(arg => !arg.startsWith('--')));
    const runners = oneProcess ? await inThisProcess(wanted.map(c => c.name)) : await inChildProcesses(wanted);
    try {
        const samples = new Map(runners.map(r => [r.name, [] as Slice[]]));
        // Rounds interleave the cases, in turns of alternating order, so drift in the machine touches all of them alike.
        for (let round = -WARMUP_ROUNDS; round < ROUNDS; round++) {
            for (const runner of round % 2 === 0 ? runners : [...runners].reverse()) {
                const slice = await runner.slice();
                if (round >= 0) samples.get(runner.name)!.push(slice);
            }
        }
        const median = (name: string) => medianBy(samples.get(name)!, s => s.us).us;
        const where = oneProcess ? 'all cases in one process' : 'each case in a process of its own';
        console.log(`server.callApi, ${where}, ${CALLS} sequential calls per case and round, CPU µs per call, median of ${ROUNDS} rounds`);
        for (const { name, baseline } of runners) {
            const us = median(name);
            const ops = medianBy(samples.get(name)!, s => s.storeOpsPerCall).storeOpsPerCall;
            const cost = baseline === undefined ? undefined : us - median(baseline);
            const extra = cost === undefined ? '' : `plugin cost ${cost.toFixed(2).padStart(6)} µs = ${(100 * cost / median(baseline!)).toFixed(0).padStart(3)} % of ${baseline}`;
            console.log(`${name.padEnd(14)} ${us.toFixed(2).padStart(7)} µs/call  store ops/call ${ops.toFixed(2)}   ${extra}`);
        }
    } finally {
        for (const runner of runners) runner.close();
    }
}

async function measure(run: () => Promise<unknown>, storeOps: () => number, resetStore: () => void): Promise<Slice> {
    resetStore();
    const started = process.cpuUsage();
    for (let i = 0; i < CALLS; i++) await run();
    const cpu = process.cpuUsage(started);
    return { us: (cpu.user + cpu.system) / CALLS, storeOpsPerCall: storeOps() / CALLS };
}

async function inThisProcess(names: string[]): Promise<CaseRunner[]> {
    const { cases, store } = await innerCases(names);
    return cases.map(({ name, baseline, run }) => ({
        name,
        baseline,
        slice: () => measure(run, () => store.total, () => store.reset()),
        close() {},
    }));
}

type FromChild = { type: 'ready' } | { type: 'slice'; slice: Slice } | { type: 'failed'; message: string };

function inChildProcesses(cases: { name: string; baseline?: string }[]): Promise<CaseRunner[]> {
    const entry = compiledEntry(__filename);
    return Promise.all(cases.map(c => inChildProcess(entry, c)));
}

/** A child process running one case, a slice each time it is asked. */
async function inChildProcess(entry: string, { name, baseline }: { name: string; baseline?: string }): Promise<CaseRunner> {
    const child = fork(entry, ['--child', name], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    await nextMessage(child, 'ready');
    return {
        name,
        baseline,
        async slice() {
            const answer = nextMessage(child, 'slice');
            child.send('slice');
            const message = await answer;
            return message.type === 'slice' ? message.slice : { us: NaN, storeOpsPerCall: NaN };
        },
        close: () => child.kill(),
    };
}

function nextMessage(child: ChildProcess, type: FromChild['type']): Promise<FromChild> {
    return new Promise((resolve, reject) => {
        const onExit = (code: number | null) => reject(new Error(`bench:inner case process exited (${code}) before '${type}'`));
        child.once('exit', onExit);
        child.once('message', (message: FromChild) => {
            child.off('exit', onExit);
            if (message.type === 'failed') reject(new Error(message.message));
            else resolve(message);
        });
    });
}

async function child(name: string): Promise<void> {
    const send = (message: FromChild) => process.send?.(message);
    try {
        const [runner] = await inThisProcess([name]);
        for (let i = 0; i < WARMUP_CALLS / CALLS; i++) await runner.slice();
        process.on('message', async () => send({ type: 'slice', slice: await runner.slice() }));
        // The parent's end of the channel closing ends this process.
        process.on('disconnect', () => process.exit(0));
        send({ type: 'ready' });
    } catch (e) {
        send({ type: 'failed', message: e instanceof Error ? e.message : String(e) });
        process.exit(1);
    }
}

const childAt = process.argv.indexOf('--child');
const entry = childAt < 0 ? main() : child(process.argv[childAt + 1]);
entry.catch(e => {
    console.error(e);
    process.exitCode = 1;
});
