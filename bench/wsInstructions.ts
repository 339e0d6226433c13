import { printDifferences, runCasesUnderCallgrind, startCounting } from './callgrind';
import { compiledEntry } from './compiledEntry';
import { RawWsClient } from './load/rawWsClient';
import type { CookieLoad, ServerSpec, StoreKind } from './scenarios';
import { startTsrpcServer } from './server/tsrpcServer';
import { SETUP_VALUE } from './server/ipc';

/**
 * Machine instructions per call over WebSocket, the server and one raw client in one process under
 * callgrind (both counted: the client's part is alike for a case and its twin). Set against
 * `npm run bench:instr`'s in-process count of the same write, it tells whether the plugin does more
 * work in a WebSocket server or does the same work more slowly: `npm run bench` gives the µs.
 *
 * `--top n` lists, per plugin case, the n functions whose instructions differ most from the twin's.
 *
 *   npm run bench:instr:ws [-- --top 20]
 */
const WARMUP_CALLS = 4_000;
const CALLS = 2_000;

interface WsCase {
    name: string;
    baseline?: string;
    store: StoreKind;
    cookies: CookieLoad;
}

// As `npm run bench`'s scenarios of the same names (scenarios.ts).
const CASES: readonly WsCase[] = [
    { name: 'bare-write', store: 'none', cookies: 'fixed' },
    { name: 'memory-write', baseline: 'bare-write', store: 'memory', cookies: 'session' },
    { name: 'bare-write-sealed', store: 'none', cookies: 'fixed-seal' },
    { name: 'sealed-write', baseline: 'bare-write-sealed', store: 'sealed', cookies: 'session' },
];

function main(): void {
    const topAt = process.argv.indexOf('--top');
    const top = topAt < 0 ? 0 : Number(process.argv[topAt + 1]);
    const entry = compiledEntry(__filename);
    const counted = runCasesUnderCallgrind(entry, CASES.map(c => c.name), CALLS, top > 0);
    console.log(`WebSocket, server and client in one process: instructions per call (callgrind), ${CALLS} sequential calls after ${WARMUP_CALLS} of warm-up`);
    for (const { name, baseline } of CASES) {
        const own = counted.get(name)!;
        const twin = baseline === undefined ? undefined : counted.get(baseline)!;
        const extra = twin === undefined ? '' : `plugin ${(own.perCall - twin.perCall).toFixed(0).padStart(6)} over ${baseline}`;
        console.log(`${name.padEnd(18)} ${own.perCall.toFixed(0).padStart(7)} instructions/call   ${extra}`);
        if (twin?.byFunction && own.byFunction) printDifferences(own.byFunction, twin.byFunction, top);
    }
}

/** Under callgrind: the case's server and client, warmed up, then the measured calls. */
async function child(name: string): Promise<void> {
    const { store, cookies } = CASES.find(c => c.name === name)!;
    const spec: ServerSpec = { framework: 'tsrpc', transport: 'ws', store, carrier: 'body', redisUrl: '', redisPrefix: 'ws-instructions:' };
    const server = await startTsrpcServer(spec);
    const client = await RawWsClient.connect(server.port, cookies);
    if (cookies === 'session') await client.call('Setup', { value: SETUP_VALUE });
    let written = 0;
    const write = () => client.call('SessionWrite', { value: `w${written++}` });
    for (let i = 0; i < WARMUP_CALLS; i++) await write();
    await startCounting();
    for (let i = 0; i < CALLS; i++) await write();
    process.exit(0);
}

const childAt = process.argv.indexOf('--child');
if (childAt < 0) main();
else child(process.argv[childAt + 1]).catch(e => {
    console.error(e);
    process.exit(1);
});
