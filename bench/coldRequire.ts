import { execFileSync } from 'child_process';
import { medianBy } from './stats';

/**
 * What loading the plugin adds to an app's start: each case `require`s its modules in a fresh
 * process (no module cache), timed inside that process, many times; the median is reported.
 * Needs `npm run build` first: the entry points load from dist/ as an app's would.
 */
const RUNS = 21;
const CASES: [string, string[]][] = [
    ['tsrpc alone', ['tsrpc']],
    ['tsrpc + tsrpc-session/server', ['tsrpc', 'tsrpc-session/server']],
    ['tsrpc + tsrpc-session/server + stores/redis', ['tsrpc', 'tsrpc-session/server', 'tsrpc-session/stores/redis']],
    ['tsrpc + tsrpc-session/server + stores/mongo', ['tsrpc', 'tsrpc-session/server', 'tsrpc-session/stores/mongo']],
    ['tsrpc-browser + tsrpc-session/client', ['tsrpc-browser', 'tsrpc-session/client']],
];

function coldRequireMs(modules: string[]): number {
    const probe = `const t = process.hrtime.bigint(); for (const m of ${JSON.stringify(modules)}) require(m); console.log(Number(process.hrtime.bigint() - t) / 1e6);`;
    return Number(execFileSync(process.execPath, ['-e', probe], { cwd: __dirname, encoding: 'utf8' }).trim());
}

const results = CASES.map(([name, modules]) => {
    const times = Array.from({ length: RUNS }, () => coldRequireMs(modules));
    return { name, medianMs: medianBy(times, t => t), minMs: Math.min(...times), maxMs: Math.max(...times) };
});
const base = results[0].medianMs;
console.log(`cold require, median of ${RUNS} fresh processes (node ${process.version})`);
console.log('case                                              median ms   min ms   max ms   over tsrpc alone');
for (const r of results) {
    const over = r.name.startsWith('tsrpc +') ? `${(r.medianMs - base).toFixed(1)} ms` : '';
    console.log(`${r.name.padEnd(50)}${r.medianMs.toFixed(1).padStart(9)}${r.minMs.toFixed(1).padStart(9)}${r.maxMs.toFixed(1).padStart(9)}   ${over}`);
}
