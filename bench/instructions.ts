import { printDifferences, runCasesUnderCallgrind, startCounting } from './callgrind';
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

async function main(): Promise<void> {
    const args = process.argv.slice(2);
    const topAt = args.indexOf('--top');
    const top = topAt < 0 ? 0 : Number(args.splice(topAt, 2)[1]);
    const wanted = selectCases(INNER_CASE_NAMES, args);
    const entry = compiledEntry(__filename);
    const counted = runCasesUnderCallgrind(entry, wanted.map(c => c.name), CALLS, top > 0);
    console.log(`server.callApi, instructions per call (callgrind), ${CALLS} calls after ${WARMUP_CALLS} of warm-up, each case in a process of its own`);
    for (const { name, baseline } of wanted) {
        const own = counted.get(name)!;
        const twin = baseline === undefined ? undefined : counted.get(baseline)!;
        const extra = twin === undefined ? '' : `plugin ${(own.perCall - twin.perCall).toFixed(0).padStart(6)} = ${(100 * (own.perCall - twin.perCall) / twin.perCall).toFixed(1).padStart(5)} % of ${baseline}`;
        console.log(`${name.padEnd(18)} ${own.perCall.toFixed(0).padStart(7)} instructions/call   ${extra}`);
        if (twin?.byFunction && own.byFunction) printDifferences(own.byFunction, twin.byFunction, top);
    }
}

/** Under callgrind: warm up, switch instrumentation on, make the measured calls, exit at once. */
async function child(name: string): Promise<void> {
    const [{ run }] = (await innerCases([name])).cases;
    for (let i = 0; i < WARMUP_CALLS; i++) await run();
    await startCounting();
    for (let i = 0; i < CALLS; i++) await run();
    process.exit(0);
}

const childAt = process.argv.indexOf('--child');
(childAt < 0 ? main() : child(process.argv[childAt + 1])).catch(e => {
    console.error(e);
    process.exit(1);
});
