import { HttpServer } from 'tsrpc';
import { workBetweenCalls } from './betweenCalls';
import { serviceProto } from './protocols/serviceProto';
import { APP_COOKIE, BENCH_SECRETS } from './server/ipc';

/**
 * A/B of sealed mode's write path in one process, under the same load: `server.callApi` of
 * SessionWrite from 32 sessions writing in turn (as the WebSocket benchmark's 32 clients do), each
 * carrying the seal its previous call answered, through two builds of the library taken in turn in
 * short slices (this checkout's dist/ and another's, given as an argument), and a bare twin.
 * Prints CPU µs per call (user + system: other programs' turns on a shared machine do not count),
 * median over the slices, for each.
 *
 *   node -r ts-node/register/transpile-only bench/sealedWriteAB.ts /path/to/other/dist/server.js \
 *     [--thrash KB] [--syscalls N] [--tcp BYTES] [--cold-code N]
 *
 * The flags add work before each call, the same for bare and plugin calls, to see what the same
 * write costs when it starts cold, as in a WebSocket server (bench/betweenCalls.ts).
 */
type Enable = (server: HttpServer<any>, options: object) => unknown;

const SESSIONS = 32;
const SLICES = 30;
const CALLS_PER_SLICE = 3_200;

function writer(enableSession: Enable | undefined, betweenCalls: () => void): (calls: number) => Promise<unknown> {
    const server = new HttpServer(serviceProto, { json: true, logger: { debug() {}, log() {}, warn() {}, error() {} } });
    if (enableSession) enableSession(server, { secrets: BENCH_SECRETS, sealed: {} });
    server.implementApi('SessionWrite', async (call: any) => {
        if (enableSession) await call.session.set('benchValue', call.req.value);
        await call.succ({});
    });
    // The bare twin's clients send a seal-sized value too: the difference is the plugin, not the request's size.
    const seals: (string | undefined)[] = Array.from({ length: SESSIONS }, () => 'A'.repeat(232));
    let sequence = 0;
    const write = async (session: number) => {
        betweenCalls();
        const __cookie = { sid: seals[session], [APP_COOKIE.name]: APP_COOKIE.value };
        const ret: any = await server.callApi('SessionWrite' as never, { value: `v${sequence++}`, __cookie } as never);
        if (!ret.isSucc) throw new Error(ret.err.message);
        if (enableSession) seals[session] = ret.res.__cookie?.sid?.value ?? seals[session];
    };
    return calls => Promise.all(Array.from({ length: SESSIONS }, async (_, session) => {
        for (let i = 0; i < calls / SESSIONS; i++) await write(session);
    }));
}

async function main(): Promise<void> {
    const other = process.argv[2];
    if (!other) throw new Error('usage: sealedWriteAB.ts <other dist/server.js>');
    const betweenCalls = await workBetweenCalls(process.argv);
    const runs: Record<string, (calls: number) => Promise<unknown>> = {
        bare: writer(undefined, betweenCalls),
        this: writer((require('../dist/server.js') as { enableSession: Enable }).enableSession, betweenCalls),
        other: writer((require(other) as { enableSession: Enable }).enableSession, betweenCalls),
    };
    const samples: Record<string, number[]> = { bare: [], this: [], other: [] };
    for (let slice = 0; slice < SLICES; slice++) {
        for (const [name, run] of Object.entries(runs)) {
            await run(CALLS_PER_SLICE / 10);
            const start = process.cpuUsage();
            await run(CALLS_PER_SLICE);
            const used = process.cpuUsage(start);
            samples[name]!.push((used.user + used.system) / CALLS_PER_SLICE);
        }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
    const range = (xs: number[]) => `${Math.min(...xs).toFixed(1)}..${Math.max(...xs).toFixed(1)}`;
    for (const name of Object.keys(runs)) {
        const plus = samples[name]!.map((x, i) => x - samples.bare![i]!);
        process.stdout.write(`${name.padEnd(6)} ${median(samples[name]!).toFixed(1)} µs/call; over bare: ${median(plus).toFixed(1)} (slices ${range(plus)})\n`);
    }
}

void main();
