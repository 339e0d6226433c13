/**
 * `npm run bench:scale`: what a session read and write cost with 1 k, 100 k and 1 M stored
 * sessions, in MemoryStore and RedisStore, and what a stored session takes in memory.
 * See bench/README.md ("Cost as sessions grow").
 */
import { mkdir, readFile, writeFile } from 'fs/promises';
import os from 'os';
import path from 'path';
import { parseArgs } from 'util';
import { RedisChild, startRedisChild } from '../test/stores/redisServer';
import { formatSize, scaleChart } from './scale/scaleChart';
import { runScale, ScaleRow, ScaleSettings, ScaleStore } from './scale/runScale';

const USAGE = `npm run bench:scale -- [flags]

      --sizes <list>       stored sessions to measure at               (default 1000,100000,1000000)
      --stores <list>      memory, redis                               (default memory,redis)
  -c, --concurrency <n>    clients                                     (default 32)
  -w, --warmup <s>         warm-up seconds per measurement             (default 1)
  -d, --duration <s>       measured seconds per measurement            (default 4)
  -r, --rounds <n>         rounds per measurement; the lowest CPU/call is kept (default 3)
      --active <n|all>     sessions the clients call as, picked at random across the store for each
                           round (default 1000); all: any stored session on every call
      --redis-url <url>    use this Redis instead of starting one (its used_memory must be ours alone)
      --out <dir>          where scale.json and scale.svg go           (default bench/results)
      --chart <file.json>  only redraw the SVG beside a saved run's JSON
  -h, --help
`;

async function main(): Promise<void> {
    const { values } = parseArgs({
        options: {
            sizes: { type: 'string', default: '1000,100000,1000000' },
            stores: { type: 'string', default: 'memory,redis' },
            concurrency: { type: 'string', short: 'c', default: '32' },
            warmup: { type: 'string', short: 'w', default: '1' },
            duration: { type: 'string', short: 'd', default: '4' },
            rounds: { type: 'string', short: 'r', default: '3' },
            active: { type: 'string', default: '1000' },
            'redis-url': { type: 'string' },
            out: { type: 'string', default: path.join(__dirname, 'results') },
            chart: { type: 'string' },
            help: { type: 'boolean', short: 'h' },
        },
    });
    if (values.help) {
        console.log(USAGE);
        return;
    }
    if (values.chart) {
        // Redraw a saved run's picture (after a change to the chart), without measuring again.
        const run = JSON.parse(await readFile(values.chart, 'utf8')) as ScaleRun;
        await writeFile(values.chart.replace(/\.json$/, '.svg'), chartOf(run));
        return;
    }
    const sizes = values.sizes.split(',').map(Number).sort((a, b) => a - b);
    const stores = values.stores.split(',') as ScaleStore[];
    if (sizes.some(n => !Number.isInteger(n) || n < 1) || stores.some(s => s !== 'memory' && s !== 'redis')) throw new Error(USAGE);

    // A Redis of our own, so its used_memory and CPU are this benchmark's only.
    let ownRedis: RedisChild | undefined;
    let redis: ScaleSettings['redis'];
    if (stores.includes('redis')) {
        if (values['redis-url']) redis = { url: values['redis-url'] };
        else {
            ownRedis = await startRedisChild().catch(e => {
                console.log(`redis: cannot start redis-server (${(e as Error).message})`);
                return undefined;
            });
            if (ownRedis) redis = { url: ownRedis.url, pid: ownRedis.pid() };
        }
    }
    const settings: ScaleSettings = {
        sizes, stores, redis,
        concurrency: Number(values.concurrency),
        warmupMs: Number(values.warmup) * 1000,
        durationMs: Number(values.duration) * 1000,
        rounds: Number(values.rounds),
        ...(values.active !== 'all' && { active: Number(values.active) }),
    };
    const started = new Date();
    let rows: ScaleRow[];
    try {
        rows = await runScale(settings, line => console.log(line));
    } finally {
        await ownRedis?.kill();
    }

    const run: ScaleRun = { started: started.toISOString(), machine: `${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, Node ${process.version}`, settings, rows };
    console.log(`\n${table(rows)}\n`);
    for (const verdict of flatness(rows)) console.log(verdict);
    await mkdir(values.out, { recursive: true });
    const name = settings.active === undefined ? 'scale-active-all' : 'scale';
    await writeFile(path.join(values.out, `${name}.json`), JSON.stringify({ ...run, settings: { ...settings, redis: settings.redis?.url } }, null, 2));
    await writeFile(path.join(values.out, `${name}.svg`), chartOf(run));
    console.log(`\nwrote ${path.join(values.out, name)}.json and .svg`);
}

interface ScaleRun {
    started: string;
    machine: string;
    settings: Pick<ScaleSettings, 'active' | 'rounds' | 'durationMs' | 'concurrency'>;
    rows: ScaleRow[];
}

function chartOf({ started, machine, settings, rows }: ScaleRun): string {
    const active = settings.active === undefined ? 'every call as any stored session' : `calls as ${settings.active} sessions spread over the store`;
    return scaleChart(rows, [
        `${active}; read = 1 load, write = 1 update; lowest CPU/call of ${settings.rounds} rounds of ${settings.durationMs / 1000} s, ${settings.concurrency} HTTP clients`,
        `${machine}, ${started.slice(0, 16)}Z, shared with other engineers' tests: calls/s are noisy, CPU per call less so`,
    ]);
}

function table(rows: readonly ScaleRow[]): string {
    const lines = [
        '| store | sessions | op | calls/s | server µs/call (lowest / median) | redis-server µs/call | bytes/session | fill s | errors |',
        '|---|---:|---|---:|---:|---:|---:|---:|---:|',
    ];
    for (const r of rows) {
        lines.push(`| ${r.store} | ${formatSize(r.size)} | ${r.operation} | ${Math.round(r.callsPerSecond)} | ${r.serverMicrosPerCall.toFixed(1)} / ${r.medianServerMicrosPerCall.toFixed(1)} | ${r.redisMicrosPerCall?.toFixed(1) ?? '–'} | ${Math.round(r.bytesPerSession)} | ${r.fillSeconds.toFixed(1)} | ${r.errors} |`);
    }
    return lines.join('\n');
}

/** Each line's largest size against its smallest: the bound is +20 % server CPU per call. */
function flatness(rows: readonly ScaleRow[]): string[] {
    const verdicts: string[] = [];
    for (const store of new Set(rows.map(r => r.store))) {
        for (const operation of ['read', 'write'] as const) {
            const line = rows.filter(r => r.store === store && r.operation === operation).sort((a, b) => a.size - b.size);
            if (line.length < 2) continue;
            const first = line[0];
            const worst = line.reduce((max, r) => (r.serverMicrosPerCall > max.serverMicrosPerCall ? r : max), first);
            const change = worst.serverMicrosPerCall / first.serverMicrosPerCall - 1;
            verdicts.push(`${store} ${operation}: at most ${(change * 100).toFixed(1)} % over the ${formatSize(first.size)} figure (${formatSize(worst.size)}) ${change <= 0.2 ? 'within' : 'OVER'} the 20 % bound`);
        }
    }
    return verdicts;
}

main().catch(e => {
    console.error(e);
    process.exit(1);
});
