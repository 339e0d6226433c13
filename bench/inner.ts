import { HttpServer } from 'tsrpc';
import { enableSession, MemoryStore } from 'tsrpc-session/server';
import { serviceProto } from './protocols/serviceProto';
import { APP_COOKIE, BENCH_SECRETS } from './server/ipc';
import { implementBenchApis } from './server/tsrpcServer';
import { medianBy } from './stats';

/**
 * The plugin's own cost per call: `server.callApi` one call after another, in one process, with
 * no network and no load generator competing for the 2 cores. It complements `npm run bench`,
 * whose end-to-end figures on a small machine are shaped by the load generator and the kernel.
 */
const CALLS = 40_000;
const ROUNDS = 5;
const silentLogger = { debug() {}, log() {}, warn() {}, error() {} };

async function main(): Promise<void> {
    const options = { logger: silentLogger, logLevel: 'none' as const };
    const bare = new HttpServer(serviceProto, options);
    const plugged = new HttpServer(serviceProto, options);
    enableSession(plugged, { secrets: BENCH_SECRETS, store: new MemoryStore() });
    for (const server of [bare, plugged]) implementBenchApis(server, () => undefined);

    const setup = await plugged.callApi('Setup', { value: 'v' });
    const sid = setup.isSucc ? setup.res.__cookie?.sid.value : undefined;
    if (!sid) throw new Error('Setup gave no session cookie');
    const cookies = { sid, [APP_COOKIE.name]: APP_COOKIE.value };

    const cases = [
        { name: 'bare TSRPC (Ping)', run: () => bare.callApi('Ping', {}) },
        { name: 'cookie only (CookieGet)', run: () => plugged.callApi('CookieGet', { name: APP_COOKIE.name, __cookie: cookies }) },
        { name: 'session read, memory', run: () => plugged.callApi('SessionRead', { __cookie: cookies }) },
        { name: 'session write, memory', run: () => plugged.callApi('SessionWrite', { value: 'w', __cookie: cookies }) },
    ];
    const samples = new Map(cases.map(c => [c.name, [] as number[]]));
    // Rounds interleave the cases, so drift in the machine touches all of them alike.
    for (let round = 0; round < ROUNDS; round++) {
        for (const { name, run } of cases) {
            const started = process.hrtime.bigint();
            for (let i = 0; i < CALLS; i++) await run();
            samples.get(name)!.push(Number(process.hrtime.bigint() - started) / CALLS / 1000);
        }
    }
    const bareUs = medianBy(samples.get(cases[0].name)!, us => us);
    console.log(`server.callApi, ${CALLS} sequential calls per case, median of ${ROUNDS} rounds`);
    for (const { name } of cases) {
        const us = medianBy(samples.get(name)!, us => us);
        console.log(`${name.padEnd(26)} ${us.toFixed(2).padStart(7)} µs/call   plugin cost ${(us - bareUs).toFixed(2).padStart(6)} µs`);
    }
}

main().catch(e => {
    console.error(e);
    process.exitCode = 1;
});
