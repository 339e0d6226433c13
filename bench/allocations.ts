import { Session } from 'inspector';
import { innerCases, selectCases } from './innerCases';
import { originOf } from './profileSummary';

/**
 * Bytes allocated per call, in process (`server.callApi`, the cases of `bench:inner`), by V8's
 * sampling heap profiler with the objects GC collected included: what a call costs the collector.
 * Each plugin case is set against its bare twin; `--top n` lists, per case, the frames whose
 * allocations differ most from the twin's (by the function that allocated, with its origin).
 *
 *   npm run bench:alloc [-- memory-read cookie] [--top 12]
 */
const CALLS = 20_000;
const WARMUP_CALLS = 10_000;
/** Bytes between samples: small, so a few hundred bytes per call are sampled thousands of times. */
const SAMPLING_INTERVAL = 256;

interface HeapNode {
    callFrame: { functionName: string; url: string; lineNumber: number };
    selfSize: number;
    children: HeapNode[];
}

async function main(): Promise<void> {
    const args = process.argv.slice(2);
    const topAt = args.indexOf('--top');
    const top = topAt < 0 ? 0 : Number(args.splice(topAt, 2)[1]);
    const { cases } = await innerCases();
    const wanted = selectCases(cases, args);
    const session = new Session();
    session.connect();
    const post = (method: string, params?: object) => new Promise<unknown>((resolve, reject) => session.post(method, params, (e, r) => (e ? reject(e) : resolve(r))));
    await post('HeapProfiler.enable');
    const bytes = new Map<string, number>();
    const frames = new Map<string, Map<string, number>>();
    for (const { name, run } of wanted) {
        for (let i = 0; i < WARMUP_CALLS; i++) await run();
        await post('HeapProfiler.startSampling', { samplingInterval: SAMPLING_INTERVAL, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
        for (let i = 0; i < CALLS; i++) await run();
        const { profile } = await post('HeapProfiler.stopSampling') as { profile: { head: HeapNode } };
        const own = new Map<string, number>();
        let total = 0;
        const walk = (node: HeapNode) => {
            total += node.selfSize;
            const { functionName, url, lineNumber } = node.callFrame;
            if (node.selfSize > 0) {
                const key = `${functionName || '(anonymous)'} ${originOf(url, functionName)} ${url.split('/').pop()}:${lineNumber + 1}`;
                own.set(key, (own.get(key) ?? 0) + node.selfSize);
            }
            for (const child of node.children) walk(child);
        };
        walk(profile.head);
        bytes.set(name, total / CALLS);
        frames.set(name, own);
    }
    console.log(`bytes allocated per call (sampled every ${SAMPLING_INTERVAL} B, GC-collected objects included), ${CALLS} calls per case`);
    for (const c of wanted) {
        const perCall = bytes.get(c.name) ?? 0;
        const extra = c.baseline === undefined ? '' : `plugin ${(perCall - (bytes.get(c.baseline) ?? 0)).toFixed(0).padStart(6)} B (vs ${c.baseline})`;
        console.log(`${c.name.padEnd(18)} ${perCall.toFixed(0).padStart(7)} B/call   ${extra}`);
        if (c.baseline === undefined || top === 0) continue;
        const base = frames.get(c.baseline) ?? new Map<string, number>();
        const own = frames.get(c.name) ?? new Map<string, number>();
        const diff = [...new Set([...own.keys(), ...base.keys()])].map(f => [f, (own.get(f) ?? 0) - (base.get(f) ?? 0)] as const);
        for (const [frame, size] of diff.sort((a, b) => Math.abs(b[1]) - Math.abs(a[1])).slice(0, top)) console.log(`    ${(size / CALLS).toFixed(0).padStart(6)} B  ${frame}`);
    }
    session.disconnect();
}

main().catch(e => {
    console.error(e);
    process.exitCode = 1;
});
