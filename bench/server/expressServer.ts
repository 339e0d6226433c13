import { RedisStore } from 'connect-redis';
import express from 'express';
import session from 'express-session';
import { AddressInfo } from 'net';
import { createClient } from 'redis';
import type { ServerSpec } from '../scenarios';
import { BENCH_SECRETS, BenchServer } from './ipc';

declare module 'express-session' {
    interface SessionData {
        benchValue: string;
    }
}

const COUNTED_METHODS = ['get', 'set', 'touch', 'destroy'] as const;

/**
 * The peer: express with a JSON body parser (TSRPC parses JSON bodies too) and, when the spec
 * names Redis, express-session + connect-redis configured as its docs recommend.
 */
export async function startExpressServer(spec: ServerSpec): Promise<BenchServer> {
    const app = express();
    app.use(express.json());
    let calls = 0;
    const storeOps: Record<string, number> = {};
    const redis = spec.store === 'redis' ? createClient({ url: spec.redisUrl }) : undefined;
    if (redis) {
        await redis.connect();
        const store = countOperations(new RedisStore({ client: redis, prefix: `${spec.redisPrefix}express:` }), storeOps);
        app.use(session({ store, secret: BENCH_SECRETS, name: 'sid', resave: false, saveUninitialized: false }));
    }

    app.post('/Ping', (_req, res) => {
        calls++;
        res.json({});
    });
    app.post('/Setup', (req, res) => {
        req.session.benchValue = req.body.value;
        res.json({});
    });
    app.post('/SessionRead', (req, res) => {
        calls++;
        res.json({ value: req.session.benchValue });
    });
    app.post('/SessionWrite', (req, res) => {
        calls++;
        req.session.benchValue = req.body.value;
        res.json({});
    });

    const httpServer = app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve, reject) => httpServer.once('listening', resolve).once('error', reject));
    return {
        port: (httpServer.address() as AddressInfo).port,
        calls: () => calls,
        storeOps: () => ({ ...storeOps }),
        resetCounters() {
            calls = 0;
            for (const method of Object.keys(storeOps)) storeOps[method] = 0;
        },
        async stop() {
            httpServer.closeAllConnections();
            await new Promise(resolve => httpServer.close(resolve));
            await redis?.close();
        },
    };
}

/** Counts the calls express-session makes to its store, the way CountingStore counts ours. */
function countOperations(store: RedisStore, counts: Record<string, number>): RedisStore {
    for (const method of COUNTED_METHODS) {
        counts[method] = 0;
        const inner = store[method].bind(store) as (...args: unknown[]) => Promise<unknown>;
        (store as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
            counts[method]++;
            return inner(...args);
        };
    }
    return store;
}
