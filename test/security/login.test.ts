import assert from 'assert';
import { Agent } from 'http';
import { HttpClient } from 'tsrpc';
import { enableCookies, MemoryStorage } from 'tsrpc-session/client';
import { serviceProto, ServiceType } from '../../shared/protocols/serviceProto';
import { CapturingLogger } from '../helpers/capturingLogger';
import { ExampleTestApp, startExampleApp } from '../helpers/exampleApp';
import { postJson, RawWsJson } from '../helpers/rawCalls';
import { silentLogger, TestClient, Transport, TRANSPORTS } from '../helpers/transports';
import { SharedStore, STORE_FACTORIES } from '../stores/storeFactories';

const ALICE = { username: 'alice', password: 'wonderland' };
const BOB = { username: 'bob', password: 'builder' };
const WRONG = { username: 'alice', password: 'not-the-password' };

/**
 * An HTTP client whose connections leave from `address` (any of 127.0.0.0/8 reaches the server),
 * so one test can be several clients as the server sees them.
 */
function clientFrom(env: ExampleTestApp, address: string, agents: Agent[]): HttpClient<ServiceType> {
    const agent = new Agent({ localAddress: address, keepAlive: false });
    agents.push(agent);
    const client = new HttpClient(serviceProto, { server: env.urls.http, logger: silentLogger, agent });
    enableCookies(client, { storage: new MemoryStorage() });
    return client;
}

function codeOf(ret: { isSucc: boolean; err?: { code?: unknown } }): unknown {
    return ret.isSucc ? 'OK' : ret.err?.code;
}

/** Issue 12 item 7: the example's Login against guessing, thread-pool exhaustion, leaked carts and logged passwords. */
describe('example Login under attack', () => {
    let env: ExampleTestApp;
    let clock: number;
    let agents: Agent[];
    beforeEach(async () => {
        clock = Date.now();
        agents = [];
        env = await startExampleApp({}, silentLogger, { login: { now: () => clock } });
    });
    afterEach(async () => {
        for (const agent of agents) agent.destroy();
        await env.stop();
    });

    for (const transport of TRANSPORTS) {
        it(`400 parallel wrong passwords over ${transport} are throttled with LOGIN_THROTTLED; bob logs in meanwhile`, async () => {
            const { client } = await env.client(transport);
            const bob = clientFrom(env, '127.0.0.2', agents);
            const flood = Array.from({ length: 400 }, () => client.callApi('Login', WRONG));
            const [bobLogin, ...rets] = await Promise.all([bob.callApi('Login', BOB), ...flood]);
            assert.deepStrictEqual(codeOf(bobLogin), 'OK');
            const codes = rets.map(codeOf);
            const throttled = codes.filter(code => code === 'LOGIN_THROTTLED').length;
            assert.ok(codes.every(code => code === 'LOGIN_THROTTLED' || code === 'BAD_CREDENTIALS'), [...new Set(codes)].join());
            // Only the first few are checked at all; the rest are refused before scrypt runs.
            assert.ok(throttled >= 390, `${throttled} of 400 throttled`);
            const refused = rets.find(r => !r.isSucc && r.err.code === 'LOGIN_THROTTLED');
            assert.match(refused!.isSucc ? '' : refused!.err.message, /^Too many .+, try again in \d+ s$/);
            assert.deepStrictEqual(await bob.callApi('GetMe', {}), { isSucc: true, res: { user: { id: 'u2', name: 'Bob' } } });
        });
    }

    it('backs off per username: past 5 failures alice is refused from any address, right password or not, until the delay passes', async () => {
        for (let i = 0; i < 5; i++) {
            assert.strictEqual(codeOf(await clientFrom(env, `127.0.0.${10 + i}`, agents).callApi('Login', WRONG)), 'BAD_CREDENTIALS');
        }
        const fresh = clientFrom(env, '127.0.0.20', agents);
        assert.strictEqual(codeOf(await fresh.callApi('Login', WRONG)), 'BAD_CREDENTIALS');
        const refused = await fresh.callApi('Login', ALICE);
        assert.strictEqual(codeOf(refused), 'LOGIN_THROTTLED');
        assert.strictEqual(!refused.isSucc && refused.err.retryAfterMs, 1000);
        // Another user is not affected.
        assert.strictEqual(codeOf(await fresh.callApi('Login', BOB)), 'OK');
        clock += 1000;
        assert.strictEqual(codeOf(await fresh.callApi('Login', ALICE)), 'OK');
    });

    it('backs off per client address: past 5 failures on any usernames, that address is refused, others are not', async () => {
        const stuffer = clientFrom(env, '127.0.0.30', agents);
        for (const username of ['alice', 'bob', 'carol', 'dave', 'erin', 'frank']) {
            assert.strictEqual(codeOf(await stuffer.callApi('Login', { username, password: 'guess' })), 'BAD_CREDENTIALS');
        }
        assert.strictEqual(codeOf(await stuffer.callApi('Login', BOB)), 'LOGIN_THROTTLED');
        // Doubling: the 7th failure would have waited 2 s; the 6th set 1 s.
        clock += 999;
        assert.strictEqual(codeOf(await stuffer.callApi('Login', BOB)), 'LOGIN_THROTTLED');
        assert.strictEqual(codeOf(await clientFrom(env, '127.0.0.31', agents).callApi('Login', BOB)), 'OK');
        clock += 1;
        assert.strictEqual(codeOf(await stuffer.callApi('Login', BOB)), 'OK');
    });
});

for (const factory of STORE_FACTORIES) {
    describe(`example Login on the ${factory.name} store: a login starts from clean data`, () => {
        let shared: SharedStore;
        let env: ExampleTestApp;
        beforeEach(async () => {
            shared = await factory.make();
            env = await startExampleApp({ store: shared.store });
        });
        afterEach(async () => {
            await env.stop();
            await shared.cleanup();
        });

        for (const transport of TRANSPORTS) {
            it(`bob logging in from alice's session over ${transport} does not see alice's cart; an anonymous cart comes along`, async () => {
                const { client } = await env.client(transport);
                assert.ok((await client.callApi('Login', ALICE)).isSucc);
                assert.ok((await client.callApi('AddToCart', { item: 'alice-only', quantity: 1 })).isSucc);
                assert.ok((await client.callApi('Login', BOB)).isSucc);
                assert.deepStrictEqual(await client.callApi('GetCart', {}), { isSucc: true, res: { cart: [] } });

                const visitor = (await env.client(transport)).client;
                assert.ok((await visitor.callApi('AddToCart', { item: 'tea', quantity: 2 })).isSucc);
                assert.ok((await visitor.callApi('Login', BOB)).isSucc);
                assert.deepStrictEqual(await visitor.callApi('GetCart', {}), { isSucc: true, res: { cart: [{ item: 'tea', quantity: 2 }] } });
            });
        }
    });
}

describe('example Login: passwords never reach the server log', () => {
    const SECRET = 'pa55-never-logged';
    let env: ExampleTestApp;
    let logger: CapturingLogger;
    beforeEach(async () => {
        logger = new CapturingLogger();
        env = await startExampleApp({}, logger);
    });
    afterEach(async () => { await env.stop(); });

    const calls: Record<Transport, (client: TestClient<ServiceType>) => Promise<unknown>> = {
        'http-json': ({ client }) => client.callApi('Login', { username: 'alice', password: SECRET }),
        'http-binary': ({ client }) => client.callApi('Login', { username: 'alice', password: SECRET }),
        ws: ({ client }) => client.callApi('Login', { username: 'alice', password: SECRET }),
    };

    for (const transport of TRANSPORTS) {
        it(`wrong and right passwords over ${transport}`, async () => {
            const client = await env.client(transport);
            await calls[transport](client);
            await client.client.callApi('Login', ALICE);
            assert.match(logger.text, /\[ApiReq\]/, 'TSRPC logged the requests');
            assert.doesNotMatch(logger.text, new RegExp(`${SECRET}|${ALICE.password}`));
            assert.match(logger.text, /\[redacted\]/);
        });
    }

    it('requests that fail validation, whose raw text TSRPC logs (HTTP and WebSocket)', async () => {
        await postJson(env.urls.http, 'Login', { username: 'alice', password: SECRET, extra: 1 });
        await postJson(env.urls.http, 'Login', { username: 'alice', password: SECRET, remember: 'yes' });
        await postJson(env.urls.http, 'Login', `{"username":"alice","password":"${SECRET}"`);
        const ws = await RawWsJson.open(env.urls.ws);
        try {
            await ws.call('Login', { username: 'alice', password: SECRET, extra: 1 });
        } finally {
            await ws.close();
        }
        // TSRPC did log those requests, password field and all.
        assert.strictEqual(logger.lines.filter(line => line.includes('"password":"[redacted]"') || line.includes("password: '[redacted]'")).length >= 4, true, logger.text);
        assert.doesNotMatch(logger.text, new RegExp(SECRET));
    });
});
