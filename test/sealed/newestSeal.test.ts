import assert from 'assert';
import { sealOrder } from '../../shared/sealOrder';
import { serviceProto, ServiceType } from '../protocols/serviceProto';
import { postJson } from '../helpers/rawCalls';
import { MemoryStorage } from 'tsrpc-session/client';
import { TestClock } from '../helpers/testClock';
import { makeClient, TestClient, Transport } from '../helpers/transports';
import { ReplyGate } from './replyGate';
import { SealedServers, startSealedServers } from './sealedServers';

/**
 * Issue 24: parallel writes of one sealed session. Every reply carries the seal its call wrote;
 * the client jar keeps the newest by the seal's clear, authenticated head (lineage, write count),
 * whatever order the replies arrive in. Replies are ordered by holding them on the server after
 * their seal is made (ReplyGate), over real HTTP and WebSocket calls.
 */
describe('sealed sessions: the client keeps the newest seal (issue 24)', () => {
    const started: SealedServers[] = [];
    const clients: TestClient<ServiceType>[] = [];
    afterEach(async () => {
        await Promise.allSettled(clients.splice(0).map(c => c.close()));
        await Promise.allSettled(started.splice(0).map(s => s.stop()));
    });
    const start = async (clock?: TestClock) => {
        const servers = await startSealedServers({}, clock);
        started.push(servers);
        return servers;
    };
    const client = async (transport: Transport, env: SealedServers, storage = new MemoryStorage()) => {
        const made = await makeClient(transport, transport === 'ws' ? env.wsUrl : env.httpUrl, serviceProto, storage, { namespace: 'app' });
        clients.push(made);
        return made;
    };
    /** What the jar's seal alone holds, read on a server that never saw these calls. */
    const sealHolds = async (seal: string | undefined, clock: TestClock) => {
        const fresh = await start(clock);
        return (await postJson(fresh.httpUrl, 'SessionGetAll', { __cookie: { sid: seal } })).res?.data;
    };

    for (const transport of ['http-json', 'ws'] as const) {
        describe(`over ${transport === 'ws' ? 'WebSocket' : 'HTTP'}, body carrier`, () => {
            for (const newerFirst of [false, true]) {
                it(`one process: two parallel writes, the newer reply arriving ${newerFirst ? 'first' : 'last'}; the jar's seal holds both`, async () => {
                    const env = await start();
                    const gate = new ReplyGate([env.http, env.ws], ['a', 'b']);
                    const { client: c, jar } = await client(transport, env);
                    await c.callApi('SessionSet', { key: 'userId', value: 'alice' });
                    const sent = sealOrder(await jar!.get('sid'))!;
                    // a is sealed first and held; b, sent with the same seal, writes on a's result.
                    const a = c.callApi('SessionSet', { key: 'a', value: 1 });
                    await gate.reached('a');
                    const b = c.callApi('SessionSet', { key: 'b', value: 2 });
                    await gate.reached('b');
                    const [first, second] = newerFirst ? ['b', 'a'] as const : ['a', 'b'] as const;
                    gate.release(first);
                    assert.ok((await (first === 'a' ? a : b)).isSucc);
                    gate.release(second);
                    assert.ok((await (second === 'a' ? a : b)).isSucc);
                    const kept = await jar!.get('sid');
                    assert.deepStrictEqual(sealOrder(kept), { lineage: sent.lineage, writes: sent.writes + 2 }, 'the seal with the most writes');
                    assert.deepStrictEqual(await sealHolds(kept, env.clock), { userId: 'alice', a: 1, b: 2 });
                });
            }

            it('two processes, no shared state: both write on the same seal; the first reply received is kept, the other write is lost', async () => {
                const clock = new TestClock();
                const [one, two] = [await start(clock), await start(clock)];
                const gate = new ReplyGate([one.http, one.ws], ['a']);
                const storage = new MemoryStorage();
                const { client: c1, jar } = await client(transport, one, storage);
                const { client: c2 } = await client(transport, two, storage);
                await c1.callApi('SessionSet', { key: 'userId', value: 'alice' });
                const sent = sealOrder(await jar!.get('sid'))!;
                const a = c1.callApi('SessionSet', { key: 'a', value: 1 });
                await gate.reached('a');
                assert.ok((await c2.callApi('SessionSet', { key: 'b', value: 2 })).isSucc);
                const kept = await jar!.get('sid');
                gate.release('a');
                assert.ok((await a).isSucc);
                assert.strictEqual(await jar!.get('sid'), kept, 'a seal with as many writes does not replace the one held');
                assert.deepStrictEqual(sealOrder(kept), { lineage: sent.lineage, writes: sent.writes + 1 });
                assert.deepStrictEqual(await sealHolds(kept, clock), { userId: 'alice', b: 2 }, 'last writer wins per seal: no merge without a shared store');
            });

            for (const [api, after] of [['SessionRegenerate', 'a new session (a login)'], ['SessionDestroy', 'no session (a logout)']] as const) {
                it(`a ${api} reply arriving after a parallel write's newer seal still wins: ${after}`, async () => {
                    const env = await start();
                    const gate = new ReplyGate([env.http, env.ws], [api]);
                    const { client: c, jar } = await client(transport, env);
                    await c.callApi('SessionSet', { key: 'userId', value: 'alice' });
                    const sent = sealOrder(await jar!.get('sid'))!;
                    const ending = c.callApi(api, {});
                    await gate.reached(api);
                    // The write runs on the old session (its seal is the one the request sent).
                    assert.ok((await c.callApi('SessionSet', { key: 'late', value: 1 })).isSucc);
                    assert.strictEqual(sealOrder(await jar!.get('sid'))?.lineage, sent.lineage);
                    gate.release(api);
                    assert.ok((await ending).isSucc);
                    const kept = await jar!.get('sid');
                    if (api === 'SessionDestroy') {
                        assert.strictEqual(kept, undefined);
                    } else {
                        assert.notStrictEqual(sealOrder(kept)?.lineage, sent.lineage, 'the new session\'s seal');
                        assert.deepStrictEqual(await sealHolds(kept, env.clock), { userId: 'alice' }, 'the data it kept, not the old session\'s later write');
                    }
                });
            }
        });
    }
});
