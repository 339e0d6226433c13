import assert from 'assert';
import { mkdtemp, rm } from 'fs/promises';
import { request } from 'http';
import { tmpdir } from 'os';
import { join } from 'path';
import { RunningExample, startExample } from '../../backend/src/index';
import { TEST_SECRETS } from '../helpers/sessionServer';
import { makeClient, silentLogger, TestClient, TRANSPORTS } from '../helpers/transports';
import { serviceProto, ServiceType } from '../../shared/protocols/serviceProto';

const ALICE = { id: 'u1', name: 'Alice' };

interface Answer { status: number; setCookie: string[]; body: { isSucc: boolean; res?: Record<string, unknown>; err?: { code?: string } } }

/** A JSON call to the example's origin, leaving from `localAddress`, with whatever headers a client likes. */
function call(example: RunningExample, api: string, body: object, headers: Record<string, string> = {}, localAddress = '127.0.0.1'): Promise<Answer> {
    return new Promise((ok, fail) => {
        const req = request(`${example.api.httpUrl}/${api}`, { method: 'POST', localAddress, headers: { 'Content-Type': 'application/json', ...headers } }, res => {
            let text = '';
            res.setEncoding('utf8').on('data', chunk => { text += chunk; }).on('end', () => ok({ status: res.statusCode!, setCookie: res.headers['set-cookie'] ?? [], body: JSON.parse(text) }));
        });
        req.on('error', fail).end(JSON.stringify(body));
    });
}

/** The example as `npm start` runs it: one origin, API servers on loopback, in httpCookie mode. */
describe('the example on one origin, started from its environment', () => {
    let webRoot: string;
    let example: RunningExample | undefined;
    let clients: TestClient<ServiceType>[] = [];

    before(async () => {
        webRoot = await mkdtemp(join(tmpdir(), 'tsrpc-session-origin-'));
    });
    after(async () => {
        await rm(webRoot, { recursive: true, force: true });
    });
    afterEach(async () => {
        await Promise.all(clients.map(c => c.close()));
        clients = [];
        await example?.stop();
        example = undefined;
    });

    function start(env: Record<string, string> = {}): Promise<RunningExample> {
        return startExample({ WEB_PORT: '0', HTTP_PORT: '0', WS_PORT: '0', WEB_ROOT: webRoot, SESSION_SECRETS: TEST_SECRETS.join(','), ...env }, silentLogger);
    }

    for (const transport of TRANSPORTS) {
        it(`a Node client over ${transport} through the page's origin keeps its session in the body`, async () => {
            example = await start();
            const url = transport === 'ws' ? example.api.wsUrl : `${example.api.httpUrl}/`;
            const client = await makeClient(transport, url, serviceProto);
            clients.push(client);
            assert.deepStrictEqual(await client.client.callApi('Login', { username: 'alice', password: 'wonderland' }), { isSucc: true, res: { user: ALICE } });
            assert.match(String(await client.jar!.get('sid')), /^[\w-]{43}\.[\w-]{43}$/);
            assert.deepStrictEqual(await client.client.callApi('GetMe', {}), { isSucc: true, res: { user: ALICE } });
        });
    }

    it('answers a login from its own page with an HttpOnly, Secure, SameSite=Lax cookie and no id in the body; SESSION_COOKIE_SECURE=false drops Secure', async () => {
        example = await start();
        const fromPage = { Origin: example.web.origin, 'Sec-Fetch-Site': 'same-origin' };
        const login = await call(example, 'Login', { username: 'alice', password: 'wonderland' }, fromPage);
        assert.deepStrictEqual(login.body, { isSucc: true, res: { user: ALICE } });
        assert.strictEqual(login.setCookie.length, 1);
        assert.match(login.setCookie[0], /^__Host-sid=[\w-]{43}\.[\w-]{43}; Path=\/; Max-Age=\d+; Expires=[^;]+; HttpOnly; Secure; SameSite=Lax$/);
        const sid = login.setCookie[0].split(';')[0];
        assert.deepStrictEqual((await call(example, 'GetMe', {}, { ...fromPage, Cookie: sid })).body, { isSucc: true, res: { user: ALICE } });
        await example.stop();
        example = undefined;

        example = await start({ SESSION_COOKIE_SECURE: 'false' });
        const plain = await call(example, 'Login', { username: 'alice', password: 'wonderland' }, { Origin: example.web.origin });
        assert.match(plain.setCookie[0], /; HttpOnly; SameSite=Lax$/);
        assert.doesNotMatch(plain.setCookie[0], /Secure/);
    });

    it('refuses to start with a SESSION_COOKIE_SECURE that is not true or false', async () => {
        await assert.rejects(start({ SESSION_COOKIE_SECURE: 'no' }), { name: 'TypeError', message: "SESSION_COOKIE_SECURE must be true or false, not 'no'" });
    });

    it('throttles logins per browser address as the web server saw it: a forged X-Forwarded-For does not help, another address is not throttled', async () => {
        example = await start();
        const stuffer = '127.0.0.30';
        for (const [i, username] of ['alice', 'bob', 'carol', 'dave', 'erin', 'frank'].entries()) {
            const wrong = await call(example, 'Login', { username, password: 'guess' }, { 'X-Forwarded-For': `198.51.100.${i}` }, stuffer);
            assert.strictEqual(wrong.body.err?.code, 'BAD_CREDENTIALS');
        }
        const refused = await call(example, 'Login', { username: 'bob', password: 'builder' }, { 'X-Forwarded-For': '198.51.100.99' }, stuffer);
        assert.strictEqual(refused.body.err?.code, 'LOGIN_THROTTLED');
        const other = await call(example, 'Login', { username: 'bob', password: 'builder' }, {}, '127.0.0.31');
        assert.deepStrictEqual(other.body.res?.user, { id: 'u2', name: 'Bob' });
    });
});
