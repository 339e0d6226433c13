/**
 * Misconfigurations that used to fail silently or with a misleading message (issue 26): each
 * now throws at registration, or logs once, naming the option and the fix.
 */
import assert from 'assert';
import { HttpClient, HttpServer } from 'tsrpc';
import { enableCookies, MemoryStorage } from 'tsrpc-session/client';
import { enableSession, SessionOptions } from 'tsrpc-session/server';
import { serviceProto } from '../protocols/serviceProto';
import { CapturingLogger } from '../helpers/capturingLogger';
import { SessionTestServer, startSessionServer, TEST_SECRETS } from '../helpers/sessionServer';
import { silentLogger } from '../helpers/transports';

describe('silent misconfigurations get a message naming the option and the fix', () => {
    const register = (options: unknown) => enableSession(new HttpServer(serviceProto, { logger: silentLogger }), options as SessionOptions);

    it('enableSession(server) with no options says secrets is required and how to make one', () => {
        for (const missing of [undefined, null]) {
            assert.throws(() => register(missing), { name: 'TypeError', message: /^tsrpc-session: enableSession\(server, options\) needs options with secrets.*npx tsrpc-session secret/ });
        }
    });

    it('secrets given as a string is refused as a string, not as "no secret"', () => {
        assert.throws(() => register({ secrets: TEST_SECRETS[0] }), { name: 'TypeError', message: /^tsrpc-session: options\.secrets must be an array of secrets, not a string: write secrets: \[secret\]/ });
        assert.throws(() => register({ secrets: 42 }), { message: /options\.secrets must be an array of secrets, not number/ });
    });

    it('carriers given as a string is refused naming the array to write', () => {
        assert.throws(() => register({ secrets: TEST_SECRETS, carriers: 'httpCookie' }), { name: 'TypeError', message: /^tsrpc-session: options\.carriers must be an array, not the string 'httpCookie': write carriers: \['httpCookie'\]$/ });
    });

    it('a client given a file path as storage throws at enableCookies, pointing at FileStorage', () => {
        const client = new HttpClient(serviceProto, { server: 'http://127.0.0.1:1', logger: silentLogger });
        assert.throws(() => enableCookies(client, { storage: '/tmp/cookies.json' as unknown as MemoryStorage }), {
            name: 'TypeError', message: /^tsrpc-session: enableCookies storage must be an object with getItem, setItem and removeItem, not the string '\/tmp\/cookies\.json': for a file, pass new FileStorage\(path\)/,
        });
        assert.throws(() => enableCookies(client, { storage: { getItem() { return null; } } as unknown as MemoryStorage }), { message: /storage must be an object with getItem, setItem and removeItem, not an object lacking one of them/ });
    });

    describe("carriers: ['httpCookie'] with a Node client", () => {
        let env: SessionTestServer | undefined;
        afterEach(async () => {
            await env?.stop();
            env = undefined;
        });
        const warnings = (logger: CapturingLogger) => logger.lines.filter(line => line.includes('options.carriers'));

        it('logs once that the client cannot keep its session, naming the option and the fix', async () => {
            const logger = new CapturingLogger();
            env = await startSessionServer('http-json', { carriers: ['httpCookie'] }, logger);
            const node = await env.client(new MemoryStorage());
            assert.ok((await node.client.callApi('SessionSet', { key: 'k', value: 'v' })).isSucc);
            // What the user saw: the login worked and the next call is anonymous.
            assert.deepStrictEqual((await node.client.callApi('SessionGet', { key: 'k' })).res, {});
            await node.client.callApi('SessionSet', { key: 'k', value: 'again' });
            const said = warnings(logger);
            assert.strictEqual(said.length, 1, logger.text);
            assert.match(said[0]!, /options\.carriers \["httpCookie"\] sent a new session only as an HttpOnly cookie to a client without Origin or Sec-Fetch headers/);
            assert.match(said[0]!, /Fix: add 'body' to options\.carriers \(e\.g\. carriers: \['httpCookie', 'body'\]\)/);
        });

        it("says nothing once 'body' is allowed too, and the Node client keeps its session", async () => {
            const logger = new CapturingLogger();
            env = await startSessionServer('http-json', { carriers: ['httpCookie', 'body'] }, logger);
            const node = await env.client(new MemoryStorage());
            await node.client.callApi('SessionSet', { key: 'k', value: 'v' });
            assert.deepStrictEqual((await node.client.callApi('SessionGet', { key: 'k' })).res, { value: 'v' });
            assert.deepStrictEqual(warnings(logger), []);
        });

        it('says nothing to a browser, which keeps the HttpOnly cookie', async () => {
            const logger = new CapturingLogger();
            env = await startSessionServer('http-json', { carriers: ['httpCookie'] }, logger);
            const answer = await fetch(`${env.url}/SessionSet`, {
                method: 'POST',
                headers: { 'content-type': 'application/json', 'sec-fetch-site': 'same-origin', 'sec-fetch-mode': 'cors' },
                body: JSON.stringify({ key: 'k', value: 'v' }),
            });
            assert.match(answer.headers.get('set-cookie') ?? '', /^(__Host-)?sid=.*HttpOnly/);
            assert.deepStrictEqual(warnings(logger), []);
        });
    });
});
