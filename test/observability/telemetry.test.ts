import assert from 'assert';
import { context, SpanStatusCode, trace } from '@opentelemetry/api';
import { setTimeout as sleep } from 'timers/promises';
import { RedisStore } from 'tsrpc-session/stores/redis';
import { SessionErrorCode } from 'tsrpc-session/server';
import { RawReturn, RawWsJson } from '../helpers/rawCalls';
import { SessionTestServer, startSessionServer } from '../helpers/sessionServer';
import { RedisChild, startRedisChild } from '../stores/redisServer';
import { everyAttributeValue, histogramCount, OtelSdk, sumOf } from './otelSdk';

const USER = 'user-8f3a2c-alice@example.com';
const KIND = 'tsrpc_session.store.kind';
const OPERATION = 'tsrpc_session.store.operation';
const OUTCOME = 'tsrpc_session.outcome';

async function until(condition: () => boolean, what: string): Promise<void> {
    for (let i = 0; i < 200 && !condition(); i++) await sleep(50);
    assert.ok(condition(), `timed out waiting for ${what}`);
}

describe('OpenTelemetry spans and metrics with the real SDK and a real Redis (issue 25)', function () {
    this.timeout(60_000);
    let sdk: OtelSdk;
    let redis: RedisChild;
    let store: RedisStore;
    let env: SessionTestServer;
    const sockets: RawWsJson[] = [];
    /** Everything the test saw that identifies a session or a user: none may be in an attribute. */
    const secrets = new Set<string>([USER]);
    const open = async () => {
        const socket = await RawWsJson.open(env.url);
        sockets.push(socket);
        return socket;
    };
    const sidOf = (ret: RawReturn): string => {
        assert.ok(ret.isSucc, JSON.stringify(ret));
        const sid = ret.res.__cookie?.sid?.value as string;
        assert.ok(sid);
        secrets.add(sid);
        return sid;
    };

    before(async () => {
        sdk = new OtelSdk().register();
        redis = await startRedisChild();
        store = new RedisStore({ url: redis.url, prefix: 'otel-test:' });
        env = await startSessionServer('ws', { store, storeTimeoutMs: 1000 });
    });
    after(async () => {
        await Promise.all(sockets.map(s => s.close()));
        await env?.stop();
        await store?.close();
        await redis?.kill();
        await sdk?.unregister();
    });

    it('names spans and metric points after a login, a read, a write, rejected ids, a revoke and a Redis outage; no id in any attribute', async () => {
        // Login: a session with a user, then a new id for it.
        const socket = await open();
        const first = sidOf(await socket.call('SessionSet', { key: 'userId', value: USER }));
        const login = await socket.call('SessionRegenerate', { keepData: true, __cookie: { sid: first } });
        const sid = sidOf(login);
        secrets.add(login.res.id);
        let collected = await sdk.collect();
        assert.strictEqual(sumOf(collected, 'tsrpc_session.sockets.bound'), 1, 'the socket is bound to its session');

        // A read and a write.
        assert.strictEqual((await socket.call('SessionGet', { key: 'userId', __cookie: { sid } })).res.value, USER);
        assert.ok((await socket.call('SessionSet', { key: 'cart', value: 3, __cookie: { sid } })).isSucc);

        // Rejected ids: a tampered cookie, and a validly signed one of a destroyed session.
        const tampered = `${sid.slice(0, -1)}${sid.endsWith('A') ? 'B' : 'A'}`;
        secrets.add(tampered);
        const other = await open();
        const doomed = sidOf(await other.call('SessionSet', { key: 'k', value: 1 }));
        assert.ok((await other.call('SessionDestroy', { __cookie: { sid: doomed } })).isSucc);
        assert.strictEqual((await other.call('SessionGetAll', { __cookie: { sid: tampered } })).res.id, undefined);
        assert.strictEqual((await other.call('SessionGetAll', { __cookie: { sid: doomed } })).res.id, undefined);

        // An admin lists the user's sessions inside a span of its own, then revokes them all.
        const parent = trace.getTracer('test').startSpan('admin request');
        const listed = await context.with(trace.setSpan(context.active(), parent), () => env.plugin.listSessions(USER));
        parent.end();
        assert.strictEqual(listed.length, 1);
        assert.strictEqual(await env.plugin.revokeSessions(USER), 1);

        collected = await sdk.collect();
        assert.deepStrictEqual({
            created: sumOf(collected, 'tsrpc_session.sessions.created'),
            regenerated: sumOf(collected, 'tsrpc_session.sessions.regenerated'),
            destroyed: sumOf(collected, 'tsrpc_session.sessions.destroyed'),
            revoked: sumOf(collected, 'tsrpc_session.sessions.revoked'),
            tampered: sumOf(collected, 'tsrpc_session.sessions.rejected', { 'tsrpc_session.reason': 'tampered' }),
            unknown: sumOf(collected, 'tsrpc_session.sessions.rejected', { 'tsrpc_session.reason': 'unknown' }),
            socketsBound: sumOf(collected, 'tsrpc_session.sockets.bound'),
            unavailable: sumOf(collected, 'tsrpc_session.store.unavailable'),
        }, { created: 2, regenerated: 1, destroyed: 1, revoked: 1, tampered: 1, unknown: 1, socketsBound: 0, unavailable: 0 });
        // Logins list the user's sessions too (the per-user cap): the admin's listing is the one in its trace.
        const listSpan = sdk.spans.find(s => s.name === 'tsrpc_session.store.listByUser' && s.spanContext().traceId === parent.spanContext().traceId)!;
        assert.strictEqual(listSpan.parentSpanContext?.spanId, parent.spanContext().spanId, 'child of the active span');
        assert.strictEqual(listSpan.spanContext().traceId, parent.spanContext().traceId);
        const callSpan = sdk.spans.find(s => s.name === 'tsrpc_session.store.create')!;
        assert.strictEqual(callSpan.parentSpanContext, undefined, 'a root span where no span was active');

        // Redis goes away: the read fails as SESSION_STORE_UNAVAILABLE, the channel is lost, then back.
        await redis.kill();
        const during = await (await open()).call('SessionGet', { key: 'userId', __cookie: { sid } });
        assert.strictEqual(during.err?.code, SessionErrorCode.StoreUnavailable);
        await until(() => env.plugin.revocationChannelState() === 'down', 'the revocation channel to be down');
        await redis.restart();
        await until(() => env.plugin.revocationChannelState() === 'up', 'the revocation channel to be back');
        await until(() => sdk.spans.some(s => s.name === 'tsrpc_session.revocation_channel.outage'), 'the outage span to end');

        collected = await sdk.collect();
        const spans = sdk.spans;
        const failedLoad = spans.find(s => s.name === 'tsrpc_session.store.load' && s.attributes[OUTCOME] === 'unavailable');
        assert.ok(failedLoad, 'a load span with outcome unavailable');
        assert.strictEqual(failedLoad.status.code, SpanStatusCode.ERROR);
        assert.strictEqual(sumOf(collected, 'tsrpc_session.store.unavailable', { [OPERATION]: 'load', [KIND]: 'redis' }), 1);
        const outage = spans.find(s => s.name === 'tsrpc_session.revocation_channel.outage')!;
        assert.deepStrictEqual(outage.events.map(e => e.name), ['tsrpc_session.revocation_channel.down', 'tsrpc_session.revocation_channel.reconnected']);

        // Every store span: named after its operation, on a redis store, with an outcome; the histogram counts each.
        const storeSpans = spans.filter(s => s.name.startsWith('tsrpc_session.store.'));
        for (const span of storeSpans) {
            assert.strictEqual(span.name, `tsrpc_session.store.${span.attributes[OPERATION]}`);
            assert.strictEqual(span.attributes[KIND], 'redis');
            assert.ok(['ok', 'unavailable', 'error'].includes(span.attributes[OUTCOME] as string), span.name);
        }
        for (const operation of ['load', 'create', 'update', 'destroy', 'listByUser', 'destroyByUser']) {
            assert.ok(storeSpans.some(s => s.attributes[OPERATION] === operation), `a span for ${operation}`);
        }
        const groups = new Map<string, number>();
        for (const span of storeSpans) {
            const key = `${span.attributes[OPERATION]}/${span.attributes[OUTCOME]}`;
            groups.set(key, (groups.get(key) ?? 0) + 1);
        }
        for (const [key, count] of groups) {
            const [operation, outcome] = key.split('/');
            assert.strictEqual(histogramCount(collected, 'tsrpc_session.store.operation.duration', { [OPERATION]: operation!, [OUTCOME]: outcome!, [KIND]: 'redis' }), count, key);
        }

        // No id, cookie, ticket or user id in any attribute, span name or event.
        const values = everyAttributeValue(spans, collected);
        assert.ok(values.length > 50);
        for (const value of values) {
            for (const secret of secrets) assert.ok(!value.includes(secret), `an attribute holds ${secret}: ${value}`);
        }
    });
});
