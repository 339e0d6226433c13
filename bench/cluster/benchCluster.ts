import { execFile } from 'child_process';
import { mkdir, readFile, rm } from 'fs/promises';
import path from 'path';
import { promisify } from 'util';

const run = promisify(execFile);
const SLOTS = 16384;

/** A Redis Cluster of `masters` masters and no replicas, for measuring: what scripts/redis-cluster.sh cannot make below 3 masters. */
export interface BenchCluster {
    url: string;
    ports: number[];
    /** The redis-server pids, for their CPU time. */
    pids: number[];
    stop(): Promise<void>;
}

const cli = (port: number, ...args: string[]) => run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args]);

/** Starts `masters` nodes on `basePort`…, gives each an equal range of slots and joins them (CLUSTER ADDSLOTSRANGE, MEET). */
export async function startBenchCluster(masters: number, basePort: number): Promise<BenchCluster> {
    const dir = `/tmp/tsrpc-session-bench-cluster-${process.pid}-${basePort}`;
    await mkdir(dir, { recursive: true });
    const ports = Array.from({ length: masters }, (_, i) => basePort + i);
    const stop = async () => {
        for (const port of ports) await cli(port, 'shutdown', 'nosave').catch(() => {});
        await rm(dir, { recursive: true, force: true });
    };
    try {
        for (const port of ports) {
            await run('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--daemonize', 'yes', '--cluster-enabled', 'yes',
                '--cluster-config-file', path.join(dir, `nodes-${port}.conf`), '--save', '', '--appendonly', 'no',
                '--dir', dir, '--pidfile', path.join(dir, `redis-${port}.pid`), '--logfile', path.join(dir, `redis-${port}.log`)]);
        }
        for (const port of ports) await until(async () => (await cli(port, 'ping')).stdout.includes('PONG'));
        for (const [i, port] of ports.entries()) {
            const from = Math.floor((i * SLOTS) / masters);
            const to = Math.floor(((i + 1) * SLOTS) / masters) - 1;
            await cli(port, 'cluster', 'addslotsrange', String(from), String(to));
            if (i > 0) await cli(port, 'cluster', 'meet', '127.0.0.1', String(ports[0]));
        }
        for (const port of ports) {
            await until(async () => {
                const info = (await cli(port, 'cluster', 'info')).stdout;
                return info.includes('cluster_state:ok') && info.includes(`cluster_known_nodes:${masters}`);
            });
        }
        const pids = await Promise.all(ports.map(async port => Number(await readFile(path.join(dir, `redis-${port}.pid`), 'utf8'))));
        return { url: `redis://127.0.0.1:${basePort}`, ports, pids, stop };
    } catch (e) {
        await stop();
        throw e;
    }
}

/** Session keys (`<prefix>…:s:…`) on each node. */
export async function sessionKeysPerNode(ports: readonly number[], prefix: string): Promise<number[]> {
    return Promise.all(ports.map(async port => (await cli(port, '--scan', '--pattern', `${prefix}*s:*`)).stdout.split('\n').filter(Boolean).length));
}

async function until(condition: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await condition().catch(() => false))) {
        if (Date.now() > deadline) throw new Error('the bench cluster did not come up');
        await new Promise(resolve => setTimeout(resolve, 100));
    }
}
