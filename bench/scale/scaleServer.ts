/**
 * A benchmark server process for the scale benchmark: the bench APIs over HTTP with the session
 * plugin on one store, which the parent fills to each size over IPC before measuring.
 */
import { createCluster } from 'redis';
import { HttpServer } from 'tsrpc';
import { listeningPort } from '../../backend/src/app';
import { enableSession, MemoryStore, SessionStore } from 'tsrpc-session/server';
import { RedisStore } from 'tsrpc-session/stores/redis';
import { serviceProto } from '../protocols/serviceProto';
import { BENCH_SECRETS } from '../server/ipc';
import { implementBenchApis } from '../server/tsrpcServer';
import { Population, SCALE_SESSION_OPTIONS } from './population';
import type { ScaleServerSpec, ToScaleServer } from './scaleIpc';

const FILL_BATCH = 10_000;
const silentLogger = { debug() {}, log() {}, info() {}, warn() {}, error() {} };

async function main(): Promise<void> {
    const spec = JSON.parse(process.argv[2]) as ScaleServerSpec;
    process.on('disconnect', () => process.exit(1));
    const cluster = spec.store === 'redis-cluster' ? createCluster({ rootNodes: [{ url: spec.redisUrl }] }) : undefined;
    await cluster?.connect();
    const store: SessionStore = spec.store === 'memory'
        ? new MemoryStore({ maxSessions: spec.maxSessions })
        : new RedisStore({ ...(cluster ? { cluster } : { url: spec.redisUrl }), prefix: spec.redisPrefix, commandTimeoutMs: 30_000 });
    const server = new HttpServer(serviceProto, { port: 0, json: true, logger: silentLogger, logLevel: 'none' });
    enableSession(server, { secrets: BENCH_SECRETS, store, ...SCALE_SESSION_OPTIONS });
    let calls = 0;
    implementBenchApis(server, () => calls++);
    await server.start();

    const population = new Population(store.placesByUser === true);
    let count = 0;
    let cpuStart = process.cpuUsage();
    process.on('message', async (message: ToScaleServer) => {
        switch (message.type) {
            case 'fill': {
                const started = Date.now();
                await population.fill(store, count, message.to, FILL_BATCH);
                count = message.to;
                const fillMs = Date.now() - started;
                global.gc?.();
                process.send!({ type: 'filled', count, fillMs, heapUsed: process.memoryUsage().heapUsed });
                break;
            }
            case 'heap':
                global.gc?.();
                process.send!({ type: 'heap', heapUsed: process.memoryUsage().heapUsed });
                break;
            case 'reset':
                calls = 0;
                cpuStart = process.cpuUsage();
                process.send!({ type: 'reset' });
                break;
            case 'stats': {
                const cpu = process.cpuUsage(cpuStart);
                process.send!({ type: 'stats', calls, cpuMicros: cpu.user + cpu.system });
                break;
            }
            case 'stop':
                await server.stop();
                await store.close?.();
                await cluster?.close();
                process.exit(0);
        }
    });
    process.send!({ type: 'ready', port: listeningPort(server) });
}

void main().catch(e => {
    console.error(e);
    process.exit(1);
});
