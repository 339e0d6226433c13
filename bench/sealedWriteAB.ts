import { HttpServer } from 'tsrpc';
import { serviceProto } from './protocols/serviceProto';
import { BENCH_SECRETS } from './server/ipc';

/**
 * A/B of sealed mode's write path in one process, under the same load: `server.callApi` of
 * SessionWrite carrying the seal the previous call answered, through two builds of the library
 * taken in turn in short slices (this checkout's dist/ and another's, given as an argument), and
 * a bare twin. Prints µs per call, median over the slices, for each.
 *
 *   node -r ts-node/register/transpile-only bench/sealedWriteAB.ts /path/to/other/dist/server.js
 */
type Enable = (server: HttpServer<any>, options: object) => unknown;

function writer(enableSession: Enable | undefined): () => Promise<void> {
    const server = new HttpServer(serviceProto, { json: true, logger: { debug() {}, log() {}, warn() {}, error() {} } });
    if (enableSession) enableSession(server, { secrets: BENCH_SECRETS, sealed: {} });
    server.implementApi('SessionWrite', async (call: any) => {
        if (enableSession) await call.session.set('benchValue', call.req.value);
        await call.succ({});
    });
    let sid: string | undefined = 'A'.repeat(400);
    return async () => {
        const ret: any = await server.callApi('SessionWrite' as never, { value: 'x'.repeat(32), __cookie: { sid } } as never);
        if (!ret.isSucc) throw new Error(ret.err.message);
        if (enableSession) sid = ret.res.__cookie?.sid?.value ?? sid;
    };
}

async function main(): Promise<void> {
    const other = process.argv[2];
    if (!other) throw new Error('usage: sealedWriteAB.ts <other dist/server.js>');
    const runs: Record<string, () => Promise<void>> = {
        bare: writer(undefined),
        this: writer((require('../dist/server.js') as { enableSession: Enable }).enableSession),
        other: writer((require(other) as { enableSession: Enable }).enableSession),
    };
    const samples: Record<string, number[]> = { bare: [], this: [], other: [] };
    for (let slice = 0; slice < 30; slice++) {
        for (const [name, run] of Object.entries(runs)) {
            for (let i = 0; i < 200; i++) await run();
            const start = performance.now();
            for (let i = 0; i < 1000; i++) await run();
            samples[name]!.push(((performance.now() - start) * 1000) / 1000);
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
