import { HttpServer, WsServer } from 'tsrpc';
import { enableSession, MemoryStore, SessionPlugin } from 'tsrpc-session/server';
import { RedisStore } from 'tsrpc-session/stores/redis';
import { listeningPort } from '../../backend/src/app';
import { serviceProto } from '../protocols/serviceProto';
import { BENCH_SECRETS } from './ipc';
import { implementBenchApis } from './tsrpcServer';
import { FromSoakServer, SessionFootprint, SOAK_MEMORY_MAX_SESSIONS, SoakTarget, ToSoakServer } from './soakIpc';

/** The plugin's internal diagnostic: the soak reaches for it on purpose. */
function footprintOf(plugin: SessionPlugin): SessionFootprint {
    return (plugin as unknown as { footprint(): SessionFootprint }).footprint();
}

const silentLogger = { debug() {}, log() {}, info() {}, warn() {}, error() {} };

/** The soak's server process: HTTP and WebSocket servers on a memory store, and on Redis. */
async function main(): Promise<void> {
    const { redisUrl, redisPrefix } = JSON.parse(process.argv[2]) as { redisUrl: string; redisPrefix: string };
    const send = (message: FromSoakServer) => process.send!(message);
    process.on('disconnect', () => process.exit(1));
    const gc = (globalThis as { gc?: () => void }).gc;
    if (!gc) throw new Error('the soak server needs --expose-gc');

    const options = { port: 0, json: true, logger: silentLogger, logLevel: 'none' as const };
    const servers = {
        'http-memory': new HttpServer(serviceProto, options),
        'ws-memory': new WsServer(serviceProto, options),
        'http-redis': new HttpServer(serviceProto, options),
        'ws-redis': new WsServer(serviceProto, options),
    };
    const memoryStore = new MemoryStore({ maxSessions: SOAK_MEMORY_MAX_SESSIONS });
    const redisStore = new RedisStore({ url: redisUrl, prefix: redisPrefix });
    const plugins = [
        enableSession([servers['http-memory'], servers['ws-memory']], { secrets: BENCH_SECRETS, store: memoryStore }),
        enableSession([servers['http-redis'], servers['ws-redis']], { secrets: BENCH_SECRETS, store: redisStore }),
    ];
    let calls = 0;
    for (const server of Object.values(servers)) {
        implementBenchApis(server, () => calls++);
        server.implementApi('SessionEnd', async call => {
            calls++;
            await call.session.destroy();
            await call.succ({});
        });
    }
    try {
        await Promise.all(Object.values(servers).map(server => server.start()));
    } catch (e) {
        send({ type: 'failed', message: (e as Error)?.message ?? String(e) });
        process.exit(1);
    }

    process.on('message', async (message: ToSoakServer) => {
        if (message.type === 'sample') {
            gc();
            const [memory, redis] = plugins.map(footprintOf);
            const footprint: SessionFootprint = {
                boundConnections: memory.boundConnections + redis.boundConnections,
                boundSessions: memory.boundSessions + redis.boundSessions,
                verifiedCookies: memory.verifiedCookies + redis.verifiedCookies,
                storeKeys: memory.storeKeys + redis.storeKeys,
            };
            const webSockets = servers['ws-memory'].connections.length + servers['ws-redis'].connections.length;
            const { heapUsed, rss } = process.memoryUsage();
            send({ type: 'sample', sample: { heapUsedBytes: heapUsed, rssBytes: rss, memorySessions: memoryStore.size, webSockets, footprint, calls } });
        } else {
            await Promise.all(Object.values(servers).map(server => server.stop().catch(() => undefined)));
            await redisStore.close();
            process.exit(0);
        }
    });
    const ports = Object.fromEntries(Object.entries(servers).map(([target, server]) => [target, listeningPort(server)])) as Record<SoakTarget, number>;
    send({ type: 'ready', ports });
}

void main();
