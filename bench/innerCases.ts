import { HttpServer } from 'tsrpc';
import { enableSession, MemoryStore } from 'tsrpc-session/server';
import { CountingStore } from 'tsrpc-session/testing';
import { serviceProto } from './protocols/serviceProto';
import { APP_COOKIE, BENCH_SECRETS, FIXED_SEAL, FIXED_SID, SETUP_VALUE } from './server/ipc';
import { implementBareTwins, implementBenchApis } from './server/tsrpcServer';

export interface InnerCase {
    name: string;
    /** The bare twin whose cost is subtracted. */
    baseline?: string;
    run: () => Promise<unknown>;
}

/** The server a case calls: without the plugin, with two no-op flow nodes, with the plugin on a MemoryStore, or sealed. */
type ServerKind = 'bare' | 'flowFloor' | 'plugged' | 'sealed';

interface Requests {
    /** `__cookie` with the plugged server's live session and the app cookie. */
    valid: Record<string, string>;
    /** `__cookie` with a well-formed sid no server signed, and the app cookie. */
    forged: Record<string, string>;
    /** `__cookie` with a seal-sized value (the bare twin answers it with another). */
    sealSized: Record<string, string>;
    /** `__cookie` with the sealed server's newest seal, which each write replaces, as a client's jar does. */
    sealed: Record<string, string>;
}

interface CaseSpec {
    name: string;
    baseline?: string;
    on: ServerKind;
    call: (server: HttpServer<any>, requests: Requests) => Promise<unknown>;
}

const name = APP_COOKIE.name;

const SPECS: readonly CaseSpec[] = [
    { name: 'bare', on: 'bare', call: s => s.callApi('Ping', {}) },
    { name: 'bare-cookie', on: 'bare', call: (s, r) => s.callApi('CookieGet', { name, __cookie: r.forged }) },
    { name: 'bare-read', on: 'bare', call: (s, r) => s.callApi('SessionRead', { __cookie: r.forged }) },
    { name: 'bare-write', on: 'bare', call: (s, r) => s.callApi('SessionWrite', { value: 'w', __cookie: r.forged }) },
    // TSRPC's own price for any plugin built on its flows: one no-op node in each flow the plugin uses.
    { name: 'flow-floor', baseline: 'bare-read', on: 'flowFloor', call: (s, r) => s.callApi('SessionRead', { __cookie: r.forged }) },
    { name: 'no-cookie', baseline: 'bare', on: 'plugged', call: s => s.callApi('Ping', {}) },
    { name: 'cookie', baseline: 'bare-cookie', on: 'plugged', call: (s, r) => s.callApi('CookieGet', { name, __cookie: r.valid }) },
    { name: 'rejected', baseline: 'bare-cookie', on: 'plugged', call: (s, r) => s.callApi('CookieGet', { name, __cookie: r.forged }) },
    { name: 'memory-read', baseline: 'bare-read', on: 'plugged', call: (s, r) => s.callApi('SessionRead', { __cookie: r.valid }) },
    { name: 'memory-write', baseline: 'bare-write', on: 'plugged', call: (s, r) => s.callApi('SessionWrite', { value: 'w', __cookie: r.valid }) },
    { name: 'bare-write-sealed', on: 'bare', call: (s, r) => s.callApi('SessionWrite', { value: 'w', __cookie: r.sealSized }) },
    { name: 'sealed-write', baseline: 'bare-write-sealed', on: 'sealed', call: (s, r) => sealedWrite(s, r) },
];

let writes = 0;

/** A write in sealed mode, presenting the seal the previous one answered. */
async function sealedWrite(server: HttpServer<any>, requests: Requests): Promise<void> {
    const ret = await server.callApi('SessionWrite', { value: `w${writes++}`, __cookie: requests.sealed });
    const seal = ret.isSucc ? ret.res.__cookie?.sid?.value : undefined;
    if (!seal) throw new Error('a sealed write answered no seal');
    requests.sealed = { sid: seal, [name]: APP_COOKIE.value };
}

/** Every case's name with its twin's, in the order they print. */
export const INNER_CASE_NAMES: readonly { name: string; baseline?: string }[] = SPECS.map(({ name, baseline }) => ({ name, baseline }));

const silentLogger = { debug() {}, log() {}, warn() {}, error() {} };

/**
 * The in-process cases of `bench:inner` and `bench/allocations.ts` (all of them, or those named),
 * each plugin case with a server without the plugin answering the same request (`__cookie`
 * included) the same way. Only the servers the cases named need are made: `bench:instr` runs each
 * case in a process of its own.
 */
export async function innerCases(names?: readonly string[]): Promise<{ cases: InnerCase[]; store: CountingStore }> {
    const specs = names === undefined ? SPECS : SPECS.filter(spec => names.includes(spec.name));
    const options = { logger: silentLogger, logLevel: 'none' as const };
    const store = new CountingStore(new MemoryStore());
    const servers = new Map<ServerKind, HttpServer<any>>();
    for (const kind of new Set(specs.map(spec => spec.on))) {
        const server = new HttpServer(serviceProto, options);
        if (kind === 'plugged' || kind === 'sealed') {
            enableSession(server, kind === 'sealed' ? { secrets: BENCH_SECRETS, sealed: {} } : { secrets: BENCH_SECRETS, store });
            implementBenchApis(server, () => undefined);
        } else {
            if (kind === 'flowFloor') {
                server.flows.preApiCallFlow.push(call => call);
                server.flows.preApiReturnFlow.push(v => v);
            }
            implementBareTwins(server, () => undefined);
        }
        servers.set(kind, server);
    }
    const forged = { sid: FIXED_SID, [name]: APP_COOKIE.value };
    const sealSized = { sid: FIXED_SEAL, [name]: APP_COOKIE.value };
    const requests: Requests = { forged, valid: forged, sealSized, sealed: sealSized };
    const plugged = servers.get('plugged');
    if (plugged) requests.valid = await setUp(plugged);
    const sealed = servers.get('sealed');
    if (sealed) requests.sealed = await setUp(sealed);
    const cases = specs.map(({ name, baseline, on, call }) => {
        const server = servers.get(on)!;
        return { name, baseline, run: () => call(server, requests) };
    });
    return { cases, store };
}

/** A session made on `server`: the `__cookie` that presents it, with the app cookie. */
async function setUp(server: HttpServer<any>): Promise<Record<string, string>> {
    const setup = await server.callApi('Setup', { value: SETUP_VALUE });
    const sid = setup.isSucc ? setup.res.__cookie?.sid.value : undefined;
    if (!sid) throw new Error('Setup gave no session cookie');
    return { sid, [name]: APP_COOKIE.value };
}

/** The cases named on the command line with their baselines; all without names. */
export function selectCases<T extends { name: string; baseline?: string }>(cases: readonly T[], only: string[]): T[] {
    return only.length === 0 ? [...cases] : cases.filter(c => only.includes(c.name) || cases.some(o => only.includes(o.name) && o.baseline === c.name));
}
