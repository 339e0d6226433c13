import { innerCases, selectCases } from './innerCases';
import { medianBy } from './stats';

/**
 * The plugin's own cost per call: `server.callApi` one call after another, in one process, with
 * no network and no load generator competing for the cores. Each plugin case is set against a
 * server without the plugin answering the same request (`__cookie` included) the same way, as in
 * `npm run bench`; times are this process's CPU time (user + system) per call.
 */
// Short slices, many rounds: on a shared machine a neighbour's burst then spoils a few slices of
// every case alike, and the median leaves them out.
const CALLS = 2_000;
const ROUNDS = 41;
const WARMUP_ROUNDS = 5;

async function main(): Promise<void> {
    const { cases, store } = await innerCases();
    // `npm run bench:inner -- memory-read` runs only the cases named, with their baselines (to profile one).
    const wanted = selectCases(cases, process.argv.slice(2));
    const samples = new Map(wanted.map(c => [c.name, [] as number[]]));
    const ops = new Map<string, number>();
    // Rounds interleave the cases, so drift in the machine touches all of them alike.
    for (let round = -WARMUP_ROUNDS; round < ROUNDS; round++) {
        for (const { name, run } of wanted) {
            store.reset();
            const started = process.cpuUsage();
            for (let i = 0; i < CALLS; i++) await run();
            const cpu = process.cpuUsage(started);
            if (round < 0) continue;
            samples.get(name)!.push((cpu.user + cpu.system) / CALLS);
            ops.set(name, Object.values(store.counts).reduce((sum, n) => sum + n, 0) / CALLS);
        }
    }
    const median = (name: string) => medianBy(samples.get(name)!, us => us);
    console.log(`server.callApi, ${CALLS} sequential calls per case and round, CPU µs per call, median of ${ROUNDS} rounds`);
    for (const c of wanted) {
        const us = median(c.name);
        const extra = c.baseline === undefined ? '' : `plugin cost ${(us - median(c.baseline)).toFixed(2).padStart(6)} µs (vs ${c.baseline})`;
        console.log(`${c.name.padEnd(14)} ${us.toFixed(2).padStart(7)} µs/call  store ops/call ${ops.get(c.name)!.toFixed(2)}   ${extra}`);
    }
}

main().catch(e => {
    console.error(e);
    process.exitCode = 1;
});
