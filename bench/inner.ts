import { HttpServer } from 'tsrpc';
import { enableSession, MemoryStore } from 'tsrpc-session/server';
import { CountingStore } from 'tsrpc-session/testing';
import { serviceProto } from './protocols/serviceProto';
import { APP_COOKIE, BENCH_SECRETS, FIXED_SID, SETUP_VALUE } from './server/ipc';
import { implementBareTwins, implementBenchApis } from './server/tsrpcServer';
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
const silentLogger = { debug() {}, log() {}, warn() {}, error() {} };

async function main(): Promise<void> {
    const options = { logger: silentLogger, logLevel: 'none' as const };
    const bare = new HttpServer(serviceProto, options);
    const plugged = new HttpServer(serviceProto, options);
    const store = new CountingStore(new MemoryStore());
    enableSession(plugged, { secrets: BENCH_SECRETS, store });
    // TSRPC's own price for any plugin built on its flows: one no-op node in each flow the plugin uses.
    const flowFloor = new HttpServer(serviceProto, options);
    flowFloor.flows.preApiCallFlow.push(call => call);
    flowFloor.flows.preApiReturnFlow.push(v => v);
    implementBareTwins(bare, () => undefined);
    implementBareTwins(flowFloor, () => undefined);
    implementBenchApis(plugged, () => undefined);

    const setup = await plugged.callApi('Setup', { value: SETUP_VALUE });
    const sid = setup.isSucc ? setup.res.__cookie?.sid.value : undefined;
    if (!sid) throw new Error('Setup gave no session cookie');
    const valid = { sid, [APP_COOKIE.name]: APP_COOKIE.value };
    const forged = { sid: FIXED_SID, [APP_COOKIE.name]: APP_COOKIE.value };
    const name = APP_COOKIE.name;

    const cases: { name: string; baseline?: string; run: () => Promise<unknown> }[] = [
        { name: 'bare', run: () => bare.callApi('Ping', {}) },
        { name: 'bare-cookie', run: () => bare.callApi('CookieGet', { name, __cookie: forged }) },
        { name: 'bare-read', run: () => bare.callApi('SessionRead', { __cookie: forged }) },
        { name: 'bare-write', run: () => bare.callApi('SessionWrite', { value: 'w', __cookie: forged }) },
        { name: 'flow-floor', baseline: 'bare-read', run: () => flowFloor.callApi('SessionRead', { __cookie: forged }) },
        { name: 'no-cookie', baseline: 'bare', run: () => plugged.callApi('Ping', {}) },
        { name: 'cookie', baseline: 'bare-cookie', run: () => plugged.callApi('CookieGet', { name, __cookie: valid }) },
        { name: 'rejected', baseline: 'bare-cookie', run: () => plugged.callApi('CookieGet', { name, __cookie: forged }) },
        { name: 'memory-read', baseline: 'bare-read', run: () => plugged.callApi('SessionRead', { __cookie: valid }) },
        { name: 'memory-write', baseline: 'bare-write', run: () => plugged.callApi('SessionWrite', { value: 'w', __cookie: valid }) },
    ];
    // `npm run bench:inner -- memory-read` runs only the cases named, with their baselines (to profile one).
    const only = process.argv.slice(2);
    const wanted = only.length === 0 ? cases : cases.filter(c => only.includes(c.name) || cases.some(o => only.includes(o.name) && o.baseline === c.name));
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
