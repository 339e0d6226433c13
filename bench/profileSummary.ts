import { readFileSync } from 'fs';
import path from 'path';

/**
 * A V8 CPU profile (`--cpu-prof`) as text: the top functions by self time and by total time, and
 * self time per origin (this plugin, tsrpc, ws, node internals, GC…), so the README can quote the
 * flame graph without a browser.
 *
 *   node -r ts-node/register/transpile-only bench/profileSummary.ts <file.cpuprofile>[:calls] [<other.cpuprofile>:calls] [--top n]
 *
 * Times are µs per call when the calls are known (given after a colon, or recorded in the file by
 * `npm run bench -- --cpu-prof`), else % of the samples; with two profiles, the second's µs per call minus the first's, frame by frame: where a
 * plugin scenario spends more than its bare twin.
 */
interface ProfileNode {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    children?: number[];
}

interface CpuProfile {
    /** Calls answered in the window, written by the benchmark's window profiler. */
    benchCalls?: number;
    nodes: ProfileNode[];
    samples: number[];
    timeDeltas: number[];
    startTime: number;
    endTime: number;
}

export interface FrameTimes {
    name: string;
    origin: string;
    selfMs: number;
    totalMs: number;
}

/** Where a frame's code lives, coarse enough to say whose cost it is. */
export function originOf(url: string, functionName: string): string {
    if (url === '') return functionName.startsWith('(') ? functionName : 'native';
    // The plugin as the benchmark loads it (dist/, built by `npm run build`), or from its sources.
    if (url.includes('/backend/src/session/') || /\/dist\/[^/]*\.(m?js)$/.test(url) && !url.includes('node_modules')) return 'tsrpc-session';
    if (url.includes('/bench/')) return 'bench';
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
    if (pkg) return pkg[1];
    if (url.startsWith('node:')) return 'node';
    return path.basename(url);
}

export function summarizeProfile(profile: CpuProfile): { frames: FrameTimes[]; origins: Map<string, number>; totalMs: number } {
    const byId = new Map(profile.nodes.map(n => [n.id, n]));
    const selfUs = new Map<number, number>();
    // The first delta runs from the profiler's start to the first sample: the start itself, not the window.
    profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (i === 0 ? 0 : profile.timeDeltas[i] ?? 0)));
    const parent = new Map<number, number>();
    for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

    const key = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'} ${shortUrl(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
    const frames = new Map<string, FrameTimes>();
    const origins = new Map<string, number>();
    let totalUs = 0;
    for (const [id, us] of selfUs) {
        totalUs += us;
        const node = byId.get(id)!;
        const origin = originOf(node.callFrame.url, node.callFrame.functionName);
        origins.set(origin, (origins.get(origin) ?? 0) + us / 1000);
        const self = frameOf(frames, key(node), origin);
        self.selfMs += us / 1000;
        // Total time: count each distinct frame once per stack, so recursion is not double counted.
        const seen = new Set<string>();
        for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
            const ancestor = byId.get(at)!;
            const k = key(ancestor);
            if (seen.has(k)) continue;
            seen.add(k);
            frameOf(frames, k, originOf(ancestor.callFrame.url, ancestor.callFrame.functionName)).totalMs += us / 1000;
        }
    }
    return { frames: [...frames.values()], origins, totalMs: totalUs / 1000 };
}

function frameOf(frames: Map<string, FrameTimes>, name: string, origin: string): FrameTimes {
    let frame = frames.get(name);
    if (!frame) frames.set(name, frame = { name, origin, selfMs: 0, totalMs: 0 });
    return frame;
}

function shortUrl(url: string): string {
    const pkg = url.indexOf('node_modules/');
    if (pkg >= 0) return url.slice(pkg + 'node_modules/'.length);
    const repo = url.search(/\/(backend|bench|shared|dist)\//);
    return repo >= 0 ? url.slice(repo + 1) : url.replace(/^file:\/\//, '');
}

interface Loaded {
    file: string;
    /** Divides every time: the window's calls (µs per call), or 1% of the sampled time (percent). */
    per: number;
    unit: string;
    summary: ReturnType<typeof summarizeProfile>;
}

function load(arg: string): Loaded {
    const match = /^(.*?)(?::(\d+))?$/.exec(arg)!;
    const profile = JSON.parse(readFileSync(match[1], 'utf8')) as CpuProfile;
    const summary = summarizeProfile(profile);
    const calls = match[2] === undefined ? profile.benchCalls : Number(match[2]);
    return calls ? { file: match[1], per: calls / 1000, unit: 'us/call', summary } : { file: match[1], per: summary.totalMs / 100, unit: '%', summary };
}

function main(): void {
    const args = process.argv.slice(2);
    const topAt = args.indexOf('--top');
    const top = topAt >= 0 ? Number(args.splice(topAt, 2)[1]) : 25;
    if (args.length === 0 || args.length > 2) {
        process.stderr.write('usage: bench/profileSummary.ts <file.cpuprofile>[:calls] [<other.cpuprofile>:calls] [--top n]\n');
        process.exitCode = 2;
        return;
    }
    const [first, second] = args.map(load);
    const value = (l: Loaded | undefined, ms: number | undefined) => (l && ms !== undefined ? ms / l.per : 0);
    const figure = (n: number) => `${n >= 0 && second ? '+' : ''}${n.toFixed(2)}`.padStart(8);
    const out: string[] = [second
        ? `${second.file} minus ${first.file}, ${first.unit}`
        : `${first.file}: ${first.summary.totalMs.toFixed(0)} ms sampled, ${first.unit}`];

    const originNames = new Set([...first.summary.origins.keys(), ...(second?.summary.origins.keys() ?? [])]);
    const byOrigin = [...originNames].map(name => ({
        name,
        n: second ? value(second, second.summary.origins.get(name)) - value(first, first.summary.origins.get(name)) : value(first, first.summary.origins.get(name)),
    }));
    out.push('', 'self time by origin');
    for (const o of byOrigin.sort((a, b) => Math.abs(b.n) - Math.abs(a.n)).slice(0, 15)) out.push(`  ${figure(o.n)}  ${o.name}`);

    const frames = new Map<string, { origin: string; self: number; total: number }>();
    const add = (l: Loaded, sign: number) => {
        for (const f of l.summary.frames) {
            const at = frames.get(f.name) ?? { origin: f.origin, self: 0, total: 0 };
            at.self += sign * value(l, f.selfMs);
            at.total += sign * value(l, f.totalMs);
            frames.set(f.name, at);
        }
    };
    if (second) {
        add(second, 1);
        add(first, -1);
    } else add(first, 1);
    const list = [...frames].map(([name, f]) => ({ name, ...f }));
    out.push('', `top ${top} frames by self time`);
    for (const f of [...list].sort((a, b) => Math.abs(b.self) - Math.abs(a.self)).slice(0, top)) out.push(`  ${figure(f.self)}  ${f.name}`);
    out.push('', `top ${top} frames by total time (tsrpc-session, tsrpc, tsrpc-base-client)`);
    const ours = list.filter(f => ['tsrpc-session', 'tsrpc', 'tsrpc-base-client'].includes(f.origin));
    for (const f of ours.sort((a, b) => Math.abs(b.total) - Math.abs(a.total)).slice(0, top)) out.push(`  ${figure(f.total)}  ${f.name}`);
    process.stdout.write(`${out.join('\n')}\n`);
}

if (require.main === module) main();
