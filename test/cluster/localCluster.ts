import { execFile } from 'child_process';
import { readFile } from 'fs/promises';
import { createServer } from 'net';
import { join } from 'path';
import { promisify } from 'util';
import { createCluster } from 'redis';

const run = promisify(execFile);
const SCRIPT = join(__dirname, '../../scripts/redis-cluster.sh');
const NODES = 6;
/** The cluster bus of a node listens on its port + this. */
const BUS_OFFSET = 10_000;

/** A Redis Cluster started by scripts/redis-cluster.sh for the tests of one file. */
export interface LocalCluster {
    basePort: number;
    rootUrl: string;
    /** The port of the live master serving `slot`, from CLUSTER NODES as node `askPort` sees it. */
    masterOf(slot: number, askPort?: number): Promise<number>;
    /** The hash slot of `key`, as the cluster computes it. */
    slotOf(key: string): Promise<number>;
    /** SIGKILL of one node, as a crash would. */
    kill(port: number): Promise<void>;
    stop(): Promise<void>;
}

/** Starts a cluster on free ports (or REDIS_CLUSTER_BASE_PORT); rejects with the script's reason when it cannot. */
export async function startLocalCluster(forShared = false): Promise<LocalCluster> {
    // On one fixed range, a file's own cluster takes the ports of the shared one, which starts again when next asked for.
    if (process.env.REDIS_CLUSTER_BASE_PORT && !forShared) await stopSharedCluster();
    const basePort = process.env.REDIS_CLUSTER_BASE_PORT ? Number(process.env.REDIS_CLUSTER_BASE_PORT) : await freePortRange();
    const dir = `/tmp/tsrpc-session-cluster-test-${process.pid}-${basePort}`;
    const script = (command: string) => run(SCRIPT, [command, String(basePort), dir], { env: { ...process.env, NODE_TIMEOUT_MS: '1000' } });
    try {
        await script('start');
    } catch (e) {
        await script('stop').catch(() => {});
        const { stderr, message } = e as { stderr?: string; message: string };
        throw new Error((stderr || message).trim());
    }
    return {
        basePort,
        rootUrl: `redis://127.0.0.1:${basePort}`,
        async masterOf(slot, askPort = basePort) {
            const { stdout } = await run('redis-cli', ['-p', String(askPort), 'cluster', 'nodes']);
            for (const line of stdout.trim().split('\n')) {
                const [, address, flags, , , , , , ...ranges] = line.split(' ');
                if (!flags.includes('master') || flags.includes('fail')) continue;
                const serves = ranges.some(range => {
                    const [from, to = from] = range.split('-').map(Number);
                    return slot >= from && slot <= to;
                });
                if (serves) return Number(address.split(':')[1].split('@')[0]);
            }
            throw new Error(`no live master serves slot ${slot}`);
        },
        /** Asked of the first node that answers: a test may have killed the first one. */
        async slotOf(key) {
            let refused: unknown;
            for (let port = basePort; port < basePort + NODES; port++) {
                try {
                    const { stdout } = await run('redis-cli', ['-p', String(port), 'cluster', 'keyslot', key]);
                    return Number(stdout);
                } catch (e) {
                    refused = e;
                }
            }
            throw refused;
        },
        async kill(port) {
            const pid = Number(await readFile(join(dir, `redis-${port}.pid`), 'utf8'));
            process.kill(pid, 'SIGKILL');
        },
        async stop() {
            await script('stop');
        },
    };
}

let shared: Promise<LocalCluster> | undefined;

/** One cluster for the whole mocha run, started on first use (by the store factories), stopped by stopSharedCluster. */
export function sharedCluster(): Promise<LocalCluster> {
    shared ??= startLocalCluster(true);
    return shared;
}

/** Stops the shared cluster if it was started: mocha's root afterAll hook (test/support/services.ts). */
export async function stopSharedCluster(): Promise<void> {
    const started = shared;
    shared = undefined;
    await (await started?.catch(() => undefined))?.stop();
}

/** A node-redis cluster client as an app would configure it for RedisStore: fail fast while a node is down. */
export async function connectCluster(rootUrl: string) {
    const cluster = createCluster({
        rootNodes: [{ url: rootUrl }],
        // Look for the slots' new master 500 ms into a node's outage, not node-redis' default 5 s.
        topologyRefreshOnReconnectionAttemptStrategy: 500,
        defaults: {
            disableOfflineQueue: true,
            socket: { connectTimeout: 1000, reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, 1000) },
        },
    });
    cluster.on('error', () => {});
    await cluster.connect();
    return cluster;
}

/** A base port with `nodes` free ports above it, and their cluster bus ports free too. */
export async function freePortRange(nodes = NODES): Promise<number> {
    for (let attempt = 0; attempt < 50; attempt++) {
        const base = 20_000 + Math.floor(Math.random() * 9_000);
        const ports = Array.from({ length: nodes }, (_, i) => base + i);
        if ((await Promise.all([...ports, ...ports.map(p => p + BUS_OFFSET)].map(isFree))).every(Boolean)) return base;
    }
    throw new Error('no free range of ports for a Redis Cluster');
}

function isFree(port: number): Promise<boolean> {
    return new Promise(resolve => {
        const server = createServer();
        server.once('error', () => resolve(false));
        server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
}
