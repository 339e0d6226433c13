import { createClient } from 'redis';
import { SESSION_RECORD_VERSION } from 'tsrpc-session/stores';
import type { SessionRecord } from 'tsrpc-session/stores';
import { RedisStore } from 'tsrpc-session/stores/redis';
import { deleteKeysWithPrefix } from './redis';
import { medianBy } from './stats';

/**
 * What one Redis round trip costs the server process in CPU, apart from the plugin: node-redis
 * alone (PING, and EVALSHA of a script that returns at once), then RedisStore's load and update
 * (node-redis plus the store's encoding). 32 callers at once, as `npm run bench` has 32 clients;
 * this process's CPU time per command, median of 5 rounds. Redis's own CPU is not in it.
 *
 *   node -r ts-node/register/transpile-only bench/redisCost.ts [redis-url]
 */
const CALLERS = 32;
const COMMANDS_PER_ROUND = 40_000;
const ROUNDS = 5;

async function main(): Promise<void> {
    const url = process.argv[2] ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
    const prefix = `tsrpc-session-redis-cost:${process.pid}:${Date.now()}:`;
    const client = createClient({ url });
    await client.connect();
    const store = new RedisStore({ url, prefix });
    const now = Date.now();
    const record: SessionRecord = { v: SESSION_RECORD_VERSION, data: { benchValue: 'initial' }, createdAt: now, lastSeenAt: now, idleExpiresAt: now + 3_600_000, absoluteExpiresAt: now + 7_200_000 };
    await store.create('key', record);
    const sha = await client.scriptLoad('return 1');
    let sequence = 0;
    const cases: [string, () => Promise<unknown>][] = [
        ['node-redis PING', () => client.sendCommand(['PING'])],
        ['node-redis EVALSHA (returns 1)', () => client.sendCommand(['EVALSHA', sha, '0'])],
        ['RedisStore.load (1 EVALSHA)', () => store.load('key', Date.now())],
        ['RedisStore.update, 1 key (1 EVALSHA)', () => store.update('key', { set: { benchValue: `v${sequence++}` }, unset: [] }, { now: Date.now(), lastSeenAt: Date.now(), idleExpiresAt: Date.now() + 3_600_000 })],
    ];
    try {
        const samples = new Map(cases.map(([name]) => [name, [] as number[]]));
        for (let round = 0; round < ROUNDS; round++) {
            for (const [name, run] of cases) {
                let left = COMMANDS_PER_ROUND;
                const started = process.cpuUsage();
                await Promise.all(Array.from({ length: CALLERS }, async () => {
                    while (left-- > 0) await run();
                }));
                const cpu = process.cpuUsage(started);
                samples.get(name)!.push((cpu.user + cpu.system) / COMMANDS_PER_ROUND);
            }
        }
        console.log(`${CALLERS} callers, ${COMMANDS_PER_ROUND} commands per case and round; this process's CPU µs per command, median of ${ROUNDS} rounds (min..max)`);
        for (const [name] of cases) {
            const list = samples.get(name)!;
            console.log(`${name.padEnd(38)} ${medianBy(list, us => us).toFixed(1).padStart(6)} µs  (${Math.min(...list).toFixed(1)}..${Math.max(...list).toFixed(1)})`);
        }
    } finally {
        await store.close();
        await client.close();
        await deleteKeysWithPrefix(url, prefix);
    }
}

main().catch(e => {
    console.error(e);
    process.exitCode = 1;
});
