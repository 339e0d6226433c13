/**
 * `npm run bench:cluster`: RedisStore on a Redis Cluster, sessions spread by user. First the
 * distribution: `--users` logged-in sessions on scripts/redis-cluster.sh's cluster (3 masters, 1
 * replica each), counted per master. Then a session read and a session write against clusters of
 * 1, 2 and 3 masters: calls/s, the Node server's CPU per call and all redis-servers' CPU per call,
 * beside the same on one standalone redis-server (masters 0), measured in the same run.
 * See bench/README.md ("Redis Cluster: sessions spread by user").
 */
import { parseArgs } from 'util';
import { clusterNodes } from '../test/cluster/clusterNodes';
import { freePortRange, startLocalCluster } from '../test/cluster/localCluster';
import { startRedisChild } from '../test/stores/redisServer';
import { sessionKeysPerNode, startBenchCluster } from './cluster/benchCluster';
import { Population } from './scale/population';
import { measureRound, RoundSettings } from './scale/measureRound';
import { ScaleServer } from './scale/runScale';

const USAGE = `npm run bench:cluster -- [flags]

      --users <n>          logged-in sessions stored                     (default 3000)
      --masters <list>     cluster sizes measured                        (default 1,2,3)
  -c, --concurrency <n>    clients                                       (default 32)
  -w, --warmup <s>         warm-up seconds per measurement               (default 1)
  -d, --duration <s>       measured seconds per measurement              (default 4)
  -r, --rounds <n>         rounds per measurement; the lowest CPU/call is kept (default 3)
  -h, --help
`;

/** masters 0: one standalone redis-server, the twin the cluster rows compare with. */
interface Row { masters: number; operation: 'read' | 'write'; callsPerSecond: number; serverMicros: number; redisMicros: number | undefined; keys: number[]; errors: number }

async function main(): Promise<void> {
    const { values } = parseArgs({
        options: {
            users: { type: 'string', default: '3000' },
            masters: { type: 'string', default: '1,2,3' },
            concurrency: { type: 'string', short: 'c', default: '32' },
            warmup: { type: 'string', short: 'w', default: '1' },
            duration: { type: 'string', short: 'd', default: '4' },
            rounds: { type: 'string', short: 'r', default: '3' },
            help: { type: 'boolean', short: 'h' },
        },
    });
    if (values.help) return console.log(USAGE);
    const users = Number(values.users);
    const settings = { concurrency: Number(values.concurrency), warmupMs: Number(values.warmup) * 1000, durationMs: Number(values.duration) * 1000, rounds: Number(values.rounds) };

    // 1. The distribution, on the cluster scripts/redis-cluster.sh makes.
    const local = await startLocalCluster();
    try {
        const prefix = 'bench-spread:';
        const server = await ScaleServer.start({ store: 'redis-cluster', maxSessions: 0, redisUrl: local.rootUrl, redisPrefix: prefix });
        try {
            await server.request({ type: 'fill', to: users }, 10 * 60_000);
            const masters = (await clusterNodes(local)).filter(node => node.master).map(node => node.port).sort((a, b) => a - b);
            const counts = await sessionKeysPerNode(masters, prefix);
            console.log(`${users} users logged in on scripts/redis-cluster.sh's 3 masters (+3 replicas): session keys per master`);
            for (const [i, port] of masters.entries()) {
                const share = counts[i] / users;
                console.log(`  :${port}  ${counts[i]}  ${(100 * share).toFixed(1)} %  ${Math.abs(share - 1 / 3) <= 0.1 ? 'within' : 'OUTSIDE'} 33 % ± 10 %`);
            }
        } finally {
            await server.stop();
        }
    } finally {
        await local.stop();
    }

    // 2. Calls against one standalone Redis, then 1, 2 and 3 masters.
    const rows: Row[] = [];
    for (const masters of [0, ...values.masters.split(',').map(Number)]) {
        const cluster = masters === 0 ? await standalone() : await startBenchCluster(masters, await freePortRange(masters));
        const prefix = 'bench-calls:';
        const server = await ScaleServer.start({ store: masters === 0 ? 'redis' : 'redis-cluster', maxSessions: 0, redisUrl: cluster.url, redisPrefix: prefix });
        try {
            await server.request({ type: 'fill', to: users }, 10 * 60_000);
            const keys = await sessionKeysPerNode(cluster.ports, prefix);
            for (const operation of ['read', 'write'] as const) {
                const rounds = [];
                for (let round = 0; round < settings.rounds; round++) rounds.push(await measure(server, cluster.pids, users, operation, settings, masters > 0));
                const best = rounds.reduce((min, r) => (r.serverMicros < min.serverMicros ? r : min));
                rows.push({ masters, operation, ...best, keys });
                console.log(`${masters || 'standalone'} master(s) ${operation}: ${Math.round(best.callsPerSecond)} calls/s, ${best.serverMicros.toFixed(1)} µs server CPU/call, ${micros(best.redisMicros)} µs redis-server CPU/call, keys per master ${keys.join('/')}`);
            }
        } finally {
            await server.stop();
            await cluster.stop();
        }
    }
    console.log('\n| masters | op | calls/s | server µs/call | redis-server µs/call (all masters) | session keys per master | errors |');
    console.log('|---:|---|---:|---:|---:|---|---:|');
    for (const r of rows) console.log(`| ${r.masters} | ${r.operation} | ${Math.round(r.callsPerSecond)} | ${r.serverMicros.toFixed(1)} | ${micros(r.redisMicros)} | ${r.keys.join(' / ')} | ${r.errors} |`);
}

/** Always defined here (every measurement has redis-server pids); a dash otherwise. */
function micros(value: number | undefined): string {
    return value === undefined ? '–' : value.toFixed(1);
}

/** One round: `concurrency` clients calling as random users of the population. */
function measure(server: ScaleServer, pids: number[], users: number, operation: 'read' | 'write', s: RoundSettings, tagged: boolean) {
    return measureRound(server, new Population(tagged), () => Math.floor(Math.random() * users), operation, pids, s);
}

/** One redis-server of our own, shaped as a bench cluster of no masters. */
async function standalone() {
    const redis = await startRedisChild();
    return { url: redis.url, ports: [Number(new URL(redis.url).port)], pids: [redis.pid()!], stop: () => redis.kill() };
}

main().catch(e => {
    console.error(e);
    process.exit(1);
});
