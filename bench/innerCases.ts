import { HttpServer } from 'tsrpc';
import { enableSession, MemoryStore } from 'tsrpc-session/server';
import { CountingStore } from 'tsrpc-session/testing';
import { serviceProto } from './protocols/serviceProto';
import { APP_COOKIE, BENCH_SECRETS, FIXED_SID, SETUP_VALUE } from './server/ipc';
import { implementBareTwins, implementBenchApis } from './server/tsrpcServer';

export interface InnerCase {
    name: string;
    /** The bare twin whose cost is subtracted. */
    baseline?: string;
    run: () => Promise<unknown>;
}

const silentLogger = { debug() {}, log() {}, warn() {}, error() {} };

/**
 * The in-process cases of `bench:inner` and `bench/allocations.ts`: each plugin case with a server
 * without the plugin answering the same request (`__cookie` included) the same way.
 */
export async function innerCases(): Promise<{ cases: InnerCase[]; store: CountingStore }> {
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

    const cases: InnerCase[] = [
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
    return { cases, store };
}

/** The cases named on the command line with their baselines; all without names. */
export function selectCases(cases: InnerCase[], only: string[]): InnerCase[] {
    return only.length === 0 ? cases : cases.filter(c => only.includes(c.name) || cases.some(o => only.includes(o.name) && o.baseline === c.name));
}
