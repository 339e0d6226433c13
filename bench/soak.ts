import { fork } from 'child_process';
import path from 'path';
import { setTimeout as sleep } from 'timers/promises';
import { parseArgs } from 'util';
import type { BenchClient } from './load/BenchClient';
import { connectTsrpcClient } from './load/tsrpcClient';
import { deleteKeysWithPrefix, redisUnavailableReason } from './redis';
import type { BenchApi } from './scenarios';
import { APP_COOKIE } from './server/ipc';
import { FromSoakServer, SOAK_MEMORY_MAX_SESSIONS, SoakSample, SoakTarget, ToSoakServer } from './server/soakIpc';

/**
 * `npm run bench:soak`: minutes of mixed traffic over HTTP and WebSocket, on a memory store and on
 * Redis, with clients (and their cookie jars and sockets) coming and going, while the server's
 * heap after GC, its RSS and the plugin's tables are sampled. They must level off: whatever a
 * call, a socket or a session leaves behind would grow with the traffic.
 */
const USAGE = `npm run bench:soak -- [--minutes 2] [--sample-seconds 10] [--users 24] [--redis-url url]`;
const TARGETS: readonly SoakTarget[] = ['http-memory', 'ws-memory', 'http-redis', 'ws-redis'];
/** What a user's call does, by weight: reads and writes of the session, app cookies, nothing. */
const CALL_MIX: readonly [BenchApi, number][] = [['SessionWrite', 30], ['SessionRead', 35], ['CookieGet', 20], ['Ping', 15]];
/** Share of users sending a session cookie the server never signed, call after call. */
const ATTACKER_SHARE = 0.1;
/** Share of users who log out (destroy the session) before leaving; the others just go. */
const LOGOUT_SHARE = 0.5;
const MB = 1024 * 1024;
const log = (line: string) => process.stderr.write(`${line}\n`);

interface Options {
    minutes: number;
    sampleSeconds: number;
    users: number;
    redisUrl: string;
}

function parseOptions(): Options {
    const { values } = parseArgs({
        options: {
            minutes: { type: 'string', default: '2' },
            'sample-seconds': { type: 'string', default: '10' },
            users: { type: 'string', default: '24' },
            'redis-url': { type: 'string', default: process.env.REDIS_URL || 'redis://127.0.0.1:6379' },
        },
    });
    const options = { minutes: Number(values.minutes), sampleSeconds: Number(values['sample-seconds']), users: Number(values.users), redisUrl: values['redis-url'] };
    if (![options.minutes, options.sampleSeconds, options.users].every(n => Number.isFinite(n) && n > 0)) throw new Error(USAGE);
    return options;
}

async function main(): Promise<void> {
    const options = parseOptions();
    const unreachable = await redisUnavailableReason(options.redisUrl);
    if (unreachable) throw new Error(`the soak needs Redis: ${unreachable}`);
    const redisPrefix = `tsrpc-session-soak:${process.pid}:${Date.now()}:`;
    const child = fork(path.join(__dirname, 'server', 'soakChild.ts'), [JSON.stringify({ redisUrl: options.redisUrl, redisPrefix })], {
        execArgv: ['--expose-gc', '-r', 'ts-node/register/transpile-only'],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const exited = new Promise(resolve => child.once('exit', resolve));
    process.once('exit', () => child.kill('SIGKILL'));
    const next = () => new Promise<FromSoakServer>((resolve, reject) => {
        const onExit = (code: number | null) => reject(new Error(`soak server exited (code ${code})`));
        child.once('message', (message: FromSoakServer) => {
            child.off('exit', onExit);
            resolve(message);
        });
        child.once('exit', onExit);
    });
    const send = (message: ToSoakServer) => child.send(message);

    try {
        const ready = await next();
        if (ready.type !== 'ready') throw new Error(ready.type === 'failed' ? ready.message : `unexpected ${ready.type}`);
        log(`soak: ${options.minutes} min, ${options.users} users over ${TARGETS.join(', ')}; `
            + `a sample every ${options.sampleSeconds} s (server heap after a full GC); memory store bounded at ${SOAK_MEMORY_MAX_SESSIONS} sessions`);
        const traffic = new Traffic(ready.ports);
        const users = Array.from({ length: options.users }, () => traffic.user());
        const samples: { at: number; sample: SoakSample; generatorHeap: number }[] = [];
        const started = Date.now();
        const takeSample = async () => {
            send({ type: 'sample' });
            const reply = await next();
            if (reply.type !== 'sample') throw new Error(`expected a sample, got ${reply.type}`);
            samples.push({ at: (Date.now() - started) / 1000, sample: reply.sample, generatorHeap: process.memoryUsage().heapUsed });
            log(formatSample(samples, samples.length - 1));
        };
        log(HEADER);
        await takeSample();
        while (Date.now() - started < options.minutes * 60_000) {
            await sleep(options.sampleSeconds * 1000);
            await takeSample();
        }
        traffic.stop();
        await Promise.all(users);
        process.stdout.write(`\n${HEADER}\n${samples.map((_, i) => formatSample(samples, i)).join('\n')}\n\n${verdict(samples.map(s => s.sample), traffic)}\n`);
    } finally {
        send({ type: 'stop' });
        await exited;
        const deleted = await deleteKeysWithPrefix(options.redisUrl, redisPrefix).catch(e => `failed: ${e}`);
        log(`Redis cleanup: ${deleted} keys under ${redisPrefix} deleted`);
    }
}

/** Users who connect, make a few calls, maybe log out, disconnect, and come back as someone new. */
class Traffic {
    readonly #ports: Record<SoakTarget, number>;
    #running = true;
    clients = 0;
    errors = 0;
    firstError: string | undefined;

    constructor(ports: Record<SoakTarget, number>) {
        this.#ports = ports;
    }

    stop(): void {
        this.#running = false;
    }

    async user(): Promise<void> {
        while (this.#running) {
            const target = TARGETS[Math.floor(Math.random() * TARGETS.length)];
            const attacker = Math.random() < ATTACKER_SHARE;
            let client: BenchClient | undefined;
            try {
                client = await connectTsrpcClient(target.startsWith('ws') ? 'ws' : 'http', this.#ports[target], attacker ? 'fixed' : 'session');
                this.clients++;
                const calls = 5 + Math.floor(Math.random() * 30);
                for (let i = 0; i < calls && this.#running; i++) {
                    const api = pick(CALL_MIX);
                    await client.call(api, api === 'SessionWrite' ? { value: `v${i}` } : api === 'CookieGet' ? { name: APP_COOKIE.name } : {});
                }
                if (!attacker && Math.random() < LOGOUT_SHARE) await client.call('SessionEnd', {});
            } catch (e) {
                this.errors++;
                this.firstError ??= (e as Error)?.message ?? String(e);
            } finally {
                await client?.close();
            }
        }
    }
}

function pick<T>(weighted: readonly [T, number][]): T {
    let roll = Math.random() * weighted.reduce((sum, [, w]) => sum + w, 0);
    for (const [value, weight] of weighted) if ((roll -= weight) < 0) return value;
    return weighted[weighted.length - 1][0];
}

const HEADER = '     t  heap MB  rss MB  mem sessions  open WS  bound conns  bound sessions  verified cache  key cache  calls/s  gen heap MB';

function formatSample(samples: readonly { at: number; sample: SoakSample; generatorHeap: number }[], i: number): string {
    const { at, sample, generatorHeap } = samples[i];
    const previous = samples[i - 1];
    const rate = previous ? (sample.calls - previous.sample.calls) / (at - previous.at) : 0;
    const f = sample.footprint;
    return [
        `${at.toFixed(0)}s`.padStart(6), (sample.heapUsedBytes / MB).toFixed(1).padStart(7), (sample.rssBytes / MB).toFixed(1).padStart(6),
        String(sample.memorySessions).padStart(12), String(sample.webSockets).padStart(7), String(f.boundConnections).padStart(11),
        String(f.boundSessions).padStart(14), String(f.verifiedCookies).padStart(14), String(f.storeKeys).padStart(9),
        rate.toFixed(0).padStart(7), (generatorHeap / MB).toFixed(1).padStart(11),
    ].join('  ');
}

/**
 * Levelled off: the heap after GC in the last third of the run is within 10 % of the middle
 * third (the first third is warm-up: JIT, caches filling, the memory store reaching its bound),
 * and bound connections never exceed the open WebSockets.
 */
function verdict(samples: readonly SoakSample[], traffic: Traffic): string {
    const third = Math.floor(samples.length / 3);
    const mean = (list: readonly SoakSample[], f: (s: SoakSample) => number) => list.reduce((sum, s) => sum + f(s), 0) / list.length;
    const middle = samples.slice(third, 2 * third);
    const last = samples.slice(2 * third);
    const heapGrowth = mean(last, s => s.heapUsedBytes) / mean(middle, s => s.heapUsedBytes) - 1;
    const rssGrowth = mean(last, s => s.rssBytes) / mean(middle, s => s.rssBytes) - 1;
    const boundOk = samples.every(s => s.footprint.boundConnections <= s.webSockets);
    const { calls, footprint } = samples[samples.length - 1];
    const cacheEntries = (s: SoakSample) => s.footprint.verifiedCookies + s.footprint.storeKeys;
    return [
        `${calls.toLocaleString('en-US')} calls by ${traffic.clients.toLocaleString('en-US')} clients; ${traffic.errors} failed${traffic.firstError ? ` (first: ${traffic.firstError})` : ''}`,
        `heap after GC, last third over middle third: ${(heapGrowth * 100).toFixed(1)} %; RSS: ${(rssGrowth * 100).toFixed(1)} %`,
        `bound connections never above open WebSockets: ${boundOk ? 'yes' : 'NO'}`,
        // The id caches are bounded (10,000 entries each, per plugin) and fill with every new session: growth while they fill is expected.
        `id caches, from the middle third to the end: ${(cacheEntries(samples[samples.length - 1]) - cacheEntries(middle[0])).toLocaleString('en-US')} more entries `
            + `(now ${footprint.verifiedCookies.toLocaleString('en-US')} verified cookies, ${footprint.storeKeys.toLocaleString('en-US')} store keys; bound 20,000 each over the two plugins)`,
        `levelled off (heap within 10 %, bindings bounded): ${heapGrowth < 0.1 && boundOk ? 'met' : 'MISSED'}`,
    ].join('\n');
}

main().catch(e => {
    log(`soak failed: ${(e as Error)?.stack ?? e}`);
    process.exitCode = 1;
});
