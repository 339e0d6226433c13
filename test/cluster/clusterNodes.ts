import { execFile } from 'child_process';
import { promisify } from 'util';
import { LocalCluster } from './localCluster';

const run = promisify(execFile);

export interface ClusterNode {
    port: number;
    id: string;
    master: boolean;
    /** A replica's master's id. */
    masterId?: string;
}

async function cli(port: number, ...args: string[]): Promise<string> {
    return (await run('redis-cli', ['-p', String(port), ...args])).stdout;
}

/** The live nodes, as CLUSTER NODES on `askPort` sees them. */
export async function clusterNodes(cluster: LocalCluster, askPort = cluster.basePort): Promise<ClusterNode[]> {
    const lines = (await cli(askPort, 'cluster', 'nodes')).trim().split('\n');
    return lines.map(line => line.split(' ')).filter(f => !f[2].includes('fail')).map(f => ({
        port: Number(f[1].split(':')[1].split('@')[0]),
        id: f[0],
        master: f[2].includes('master'),
        ...f[3] !== '-' && { masterId: f[3] },
    }));
}

/** Commands each live master ran (`INFO commandstats`) by name, leaving out INFO and CLUSTER NODES (these helpers' own) and the replicas' REPLCONF ACKs. */
export async function commandsOnMasters(cluster: LocalCluster): Promise<Record<string, number>[]> {
    const masters = (await clusterNodes(cluster)).filter(n => n.master).sort((x, y) => x.port - y.port);
    return Promise.all(masters.map(async ({ port }) => {
        const calls: Record<string, number> = {};
        for (const [, name, n] of (await cli(port, 'info', 'commandstats')).matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
            if (!['info', 'cluster|nodes', 'replconf'].includes(name)) calls[name] = Number(n);
        }
        return calls;
    }));
}

/** The commands run between two commandsOnMasters, per master: `{ name: count }` of those that ran. */
export function commandsBetween(before: Record<string, number>[], after: Record<string, number>[]): Record<string, number>[] {
    return after.map((calls, i) => Object.fromEntries(Object.entries(calls).map(([name, n]) => [name, n - (before[i][name] ?? 0)]).filter(([, n]) => n !== 0)));
}

/** The ids of the RESP3 connections with tracking on at `port`: near caches' tracking connections. */
export async function trackersOn(port: number): Promise<string[]> {
    const list = await cli(port, 'client', 'list');
    return list.split('\n').filter(line => /\bflags=\S*t\S*/.test(line) && / resp=3/.test(line)).map(line => /\bid=(\d+)/.exec(line)![1]);
}

/** CLUSTER FAILOVER on a replica of the master at `masterPort`: resolves once the replica serves the slots, as every node sees it. */
export async function failOver(cluster: LocalCluster, masterPort: number): Promise<number> {
    const nodes = await clusterNodes(cluster, masterPort);
    const master = nodes.find(n => n.port === masterPort)!;
    const replica = nodes.find(n => n.masterId === master.id);
    if (!replica) throw new Error(`:${masterPort} has no replica to fail over to`);
    await cli(replica.port, 'cluster', 'failover');
    const ports = nodes.map(n => n.port);
    const deadline = Date.now() + 10_000;
    for (;;) {
        const views = await Promise.all(ports.map(p => clusterNodes(cluster, p).catch(() => [])));
        if (views.every(view => view.find(n => n.port === replica.port)?.master === true && view.find(n => n.port === masterPort)?.master === false)) return replica.port;
        if (Date.now() > deadline) throw new Error(`:${replica.port} did not take over from :${masterPort} within 10 s`);
        await new Promise(resolve => setTimeout(resolve, 50));
    }
}
