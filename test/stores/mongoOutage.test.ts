import assert from 'assert';
import { MongoClient as MongoClient7 } from 'mongodb';
import { MongoClient as MongoClient6 } from 'mongodb6';
import { SessionErrorCode } from 'tsrpc-session/server';
import { MongoStore, MongoStoreError } from 'tsrpc-session/stores/mongo';
import { CapturingLogger } from '../helpers/capturingLogger';
import { startSessionServer } from '../helpers/sessionServer';
import { until } from '../revocation/revocationHelpers';
import { MongoStandIn } from './mongoStandIn';
import { MemoryStorage } from 'tsrpc-session/client';

/**
 * MongoDB down at start-up, without a MongoDB server (none exists here and none is faked): a TCP
 * listener stands where MongoDB would be. It shows that the store keeps trying (connections counted
 * at the listener) without being called, answers with clear errors meanwhile, and stops on close().
 * That it then serves once a real server answers is shown by `npm run test:mongo` (MONGODB_URI),
 * which puts the same listener in front of a real server and switches it to forwarding.
 */
const SELECTION_MS = 200;
/** The back-off's bound plus one selection timeout, with room: a store still trying connects within it. */
const RETRY_WINDOW_MS = 3000;

const STORES: [string, (uri: string) => MongoStore][] = [
    ['a MongoStore given a uri (mongodb 7)', uri => new MongoStore({ uri, serverSelectionTimeoutMs: SELECTION_MS })],
    ['a MongoStore given an unconnected mongodb 7 client', uri => new MongoStore({ client: new MongoClient7(uri, { serverSelectionTimeoutMS: SELECTION_MS }) })],
    ['a MongoStore given an unconnected mongodb 6 client', uri => new MongoStore({ client: new MongoClient6(uri, { serverSelectionTimeoutMS: SELECTION_MS }) as never })],
];

function assertClear(e: unknown, standIn: MongoStandIn): true {
    const message = (e as Error).message;
    assert.ok(e instanceof MongoStoreError, `a MongoStoreError: ${message}`);
    assert.match(message, /^tsrpc-session: MongoStore /);
    assert.ok(message.includes(`127.0.0.1:${standIn.port}`), `names where: ${message}`);
    assert.match(message, /is it running|check /, 'says what to check');
    return true;
}

for (const [kind, makeStore] of STORES) {
    describe(`MongoDB down at start-up: ${kind}`, () => {
        let standIn: MongoStandIn;
        let store: MongoStore;
        beforeEach(async () => {
            standIn = await MongoStandIn.start();
            store = makeStore(standIn.uri);
        });
        afterEach(async () => {
            await store.close();
            await standIn.stop();
        });

        it('keeps connecting in the background while refused, answering a clear error, never "Topology is closed"', async () => {
            await assert.rejects(store.load('k', Date.now()), e => assertClear(e, standIn));
            const seen = standIn.connections;
            assert.ok(seen >= 1, 'the first call tried to connect');
            // No further calls: the store retries by itself.
            await until(() => standIn.connections >= seen + 3, 3 * RETRY_WINDOW_MS, 'three more connection attempts');
            for (const operation of [() => store.create('k', { v: 2, data: {}, createdAt: 1, lastSeenAt: 1, idleExpiresAt: 2, absoluteExpiresAt: 2 }), () => store.destroy('k')]) {
                await assert.rejects(operation(), e => assertClear(e, standIn) && !/^Topology is closed/.test((e as Error).message));
            }
        });

        it('keeps trying against a listener that accepts and says nothing', async () => {
            standIn.mode = 'silent';
            await assert.rejects(store.load('k', Date.now()), e => assertClear(e, standIn));
            const seen = standIn.connections;
            await until(() => standIn.connections > seen, 2 * RETRY_WINDOW_MS, 'another connection attempt');
            await assert.rejects(store.touch('k', { now: 1, lastSeenAt: 1, idleExpiresAt: 2 }), e => assertClear(e, standIn));
        });

        it('stops trying once closed', async () => {
            await assert.rejects(store.load('k', Date.now()), e => assertClear(e, standIn));
            await store.close();
            const seen = standIn.connections;
            // An absence can only be seen by waiting: longer than a retry would take.
            await new Promise(resolve => setTimeout(resolve, RETRY_WINDOW_MS));
            assert.strictEqual(standIn.connections, seen, 'no connection attempt after close()');
            await assert.rejects(store.load('k', Date.now()), /MongoStore is closed/);
        });
    });
}

describe('MongoDB down at start-up, through a real TSRPC server', () => {
    let standIn: MongoStandIn;
    let store: MongoStore;
    let stop: (() => Promise<void>) | undefined;
    beforeEach(async () => { standIn = await MongoStandIn.start(); });
    afterEach(async () => {
        await stop?.();
        await store.close();
        await standIn.stop();
    });

    it('answers SESSION_STORE_UNAVAILABLE and logs which store and what to check', async () => {
        store = new MongoStore({ uri: standIn.uri, serverSelectionTimeoutMs: SELECTION_MS });
        const logger = new CapturingLogger();
        const server = await startSessionServer('http-json', { store }, logger);
        stop = () => server.stop();
        const client = await server.client(new MemoryStorage());
        for (let i = 0; i < 3; i++) {
            const ret = await client.client.callApi('SessionSet', { key: 'k', value: i });
            assert.strictEqual(ret.isSucc, false);
            assert.strictEqual(ret.err?.code, SessionErrorCode.StoreUnavailable);
        }
        const failures = logger.lines.filter(line => line.includes('store operation'));
        assert.ok(failures.length >= 1, logger.text);
        for (const line of failures) {
            assert.match(line, /MongoStore cannot reach MongoDB at 127\.0\.0\.1:\d+ .*is it running/, line);
            assert.doesNotMatch(line, /failed: Topology is closed/, line);
        }
    });
});
