import path from 'path';
import { parseArgs } from 'util';
import type { HttpClientKind } from './runScenarios';
import type { Transport } from './scenarios';

export interface BenchOptions {
    concurrency: number;
    warmupSeconds: number;
    durationSeconds: number;
    sliceSeconds: number;
    repeats: number;
    scenarios: string[];
    transports: Transport[];
    httpClient: HttpClientKind;
    redisUrl: string;
    out: string;
    /** Directory for V8 CPU profiles of the measured windows, when given. */
    profileDir?: string;
}

export const USAGE = `npm run bench -- [flags]

  -c, --concurrency <n>   concurrent clients, each with its own socket and cookies   (default 32)
  -d, --duration <s>      measured seconds per scenario (and as long for its baseline) (default 4)
      --slice <s>         a scenario with a baseline alternates with it in slices this long (default 1)
  -w, --warmup <s>        warm-up seconds per scenario, under the same load          (default 2)
  -r, --repeats <n>       rounds over all scenarios; the table shows each median     (default 1)
  -s, --scenarios <list>  comma-separated parts of scenario ids, e.g. "redis,cookie"  (default all)
                          (the bare baselines the ratios need always run too)
  -t, --transport <t>     http, ws or all                                            (default all)
      --http-client <k>   raw (minimal clients: express's keep-alive HTTP one, JSON frames over WS) or tsrpc (HttpClient/WsClient + enableCookies)
                                                                                     (default raw)
      --redis-url <url>   Redis for both frameworks        (default $REDIS_URL or redis://127.0.0.1:6379)
      --out <file>        JSON results                     (default bench/results/latest.json)
      --cpu-prof <dir>    a V8 CPU profile of each measured window, <dir>/<scenario>.round<n>.cpuprofile
                          (Chrome DevTools, or bench/profileSummary.ts for text)
  -h, --help
`;

/** The flags, validated; undefined after printing the usage for --help. */
export function parseBenchOptions(argv: readonly string[]): BenchOptions | undefined {
    const { values } = parseArgs({
        args: [...argv],
        options: {
            concurrency: { type: 'string', short: 'c', default: '32' },
            duration: { type: 'string', short: 'd', default: '4' },
            slice: { type: 'string', default: '1' },
            warmup: { type: 'string', short: 'w', default: '2' },
            repeats: { type: 'string', short: 'r', default: '1' },
            scenarios: { type: 'string', short: 's', default: '' },
            transport: { type: 'string', short: 't', default: 'all' },
            'http-client': { type: 'string', default: 'raw' },
            'redis-url': { type: 'string', default: process.env.REDIS_URL || 'redis://127.0.0.1:6379' },
            out: { type: 'string', default: path.join(__dirname, 'results', 'latest.json') },
            'cpu-prof': { type: 'string' },
            help: { type: 'boolean', short: 'h', default: false },
        },
    });
    if (values.help) {
        process.stdout.write(USAGE);
        return undefined;
    }
    const transport = oneOf('--transport', values.transport, ['http', 'ws', 'all'] as const);
    return {
        concurrency: positive('--concurrency', values.concurrency, true),
        durationSeconds: positive('--duration', values.duration, false),
        sliceSeconds: positive('--slice', values.slice, false),
        warmupSeconds: positive('--warmup', values.warmup, false, true),
        repeats: positive('--repeats', values.repeats, true),
        scenarios: values.scenarios.split(',').map(s => s.trim()).filter(Boolean),
        transports: transport === 'all' ? ['http', 'ws'] : [transport],
        httpClient: oneOf('--http-client', values['http-client'], ['raw', 'tsrpc'] as const),
        redisUrl: values['redis-url'],
        out: path.resolve(values.out),
        ...(values['cpu-prof'] !== undefined && { profileDir: path.resolve(values['cpu-prof']) }),
    };
}

function positive(flag: string, text: string, integer: boolean, zeroAllowed = false): number {
    const n = Number(text);
    const ok = Number.isFinite(n) && (zeroAllowed ? n >= 0 : n > 0) && (!integer || Number.isInteger(n));
    if (!ok) throw new Error(`${flag} must be a ${integer ? 'positive integer' : 'positive number'}, got '${text}'`);
    return n;
}

function oneOf<T extends string>(flag: string, text: string, allowed: readonly T[]): T {
    if (!(allowed as readonly string[]).includes(text)) throw new Error(`${flag} must be one of ${allowed.join(', ')}, got '${text}'`);
    return text as T;
}
