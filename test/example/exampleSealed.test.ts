import assert from 'assert';
import { mkdtemp, rm } from 'fs/promises';
import { tmpdir } from 'os';
import { join } from 'path';
import { RunningExample, startExample } from '../../backend/src/index';
import { TEST_SECRETS } from '../helpers/sessionServer';
import { makeClient, silentLogger, TestClient, TRANSPORTS } from '../helpers/transports';
import { serviceProto, ServiceType } from '../../shared/protocols/serviceProto';

const ALICE = { id: 'u1', name: 'Alice' };

/** A JSON call to the example's origin, as the page (same origin) or any HTTP client makes it. */
async function call(example: RunningExample, api: string, body: object, headers: Record<string, string> = {}) {
    const response = await fetch(`${example.api.httpUrl}/${api}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
    return { setCookie: response.headers.getSetCookie(), body: JSON.parse(await response.text()) };
}

describe('the example with SESSION_STORE=sealed (issue 24)', () => {
    let webRoot: string;
    let example: RunningExample | undefined;
    let clients: TestClient<ServiceType>[] = [];

    before(async () => { webRoot = await mkdtemp(join(tmpdir(), 'tsrpc-session-sealed-')); });
    after(async () => { await rm(webRoot, { recursive: true, force: true }); });
    afterEach(async () => {
        await Promise.all(clients.map(c => c.close()));
        clients = [];
        await example?.stop();
        example = undefined;
    });

    const start = () => startExample({
        WEB_PORT: '0', HTTP_PORT: '0', WS_PORT: '0', WEB_ROOT: webRoot, SESSION_SECRETS: TEST_SECRETS.join(','), SESSION_STORE: 'sealed', SESSION_COOKIE_SECURE: 'false',
    }, silentLogger);

    for (const transport of TRANSPORTS) {
        it(`a Node client over ${transport}: login, cart, devices (not available), logout-others, logout`, async () => {
            example = await start();
            const client = await makeClient(transport, transport === 'ws' ? example.api.wsUrl : `${example.api.httpUrl}/`, serviceProto);
            clients.push(client);
            const c = client.client;
            assert.deepStrictEqual(await c.callApi('Login', { username: 'alice', password: 'wonderland' }), { isSucc: true, res: { user: ALICE } });
            assert.match(String(await client.jar!.get('sid')), /^A[\w-]{60,}$/, 'a seal, not a signed id');
            assert.deepStrictEqual((await c.callApi('AddToCart', { item: 'apple', quantity: 2 })).res?.cart, [{ item: 'apple', quantity: 2 }]);
            assert.deepStrictEqual((await c.callApi('AddToCart', { item: 'apple', quantity: 1 })).res?.cart, [{ item: 'apple', quantity: 3 }]);
            assert.deepStrictEqual((await c.callApi('GetCart', {})).res?.cart, [{ item: 'apple', quantity: 3 }]);
            const devices = await c.callApi('ListDevices', {});
            assert.strictEqual(devices.res?.devices[0]?.label, 'Device list not available in sealed mode');
            assert.ok((await c.callApi('LogoutOthers', {})).isSucc);
            assert.deepStrictEqual(await c.callApi('GetMe', {}), { isSucc: true, res: { user: ALICE } }, 'logout-others keeps this session');
            assert.ok((await c.callApi('Logout', {})).isSucc);
            assert.strictEqual((await c.callApi('GetMe', {})).res?.user, undefined);
        });
    }

    it('sessions survive a restart with the same SESSION_SECRETS: the page\'s HttpOnly cookie and a Node client\'s seal', async () => {
        example = await start();
        const fromPage = { Origin: example.web.origin, 'Sec-Fetch-Site': 'same-origin' };
        const login = await call(example, 'Login', { username: 'alice', password: 'wonderland' }, fromPage);
        assert.match(login.setCookie[0]!, /^sid=A[\w-]{60,}; Path=\/; Max-Age=\d+; Expires=[^;]+; HttpOnly; SameSite=Lax$/);
        const cookie = login.setCookie[0]!.split(';')[0]!;
        const nodeLogin = await call(example, 'Login', { username: 'alice', password: 'wonderland', __cookie: {} });
        const seal = nodeLogin.body.res.__cookie.sid.value as string;
        await example.stop();
        example = undefined;

        example = await start();
        assert.deepStrictEqual((await call(example, 'GetMe', {}, { ...example && { Origin: example.web.origin, 'Sec-Fetch-Site': 'same-origin' }, Cookie: cookie })).body, { isSucc: true, res: { user: ALICE } });
        assert.deepStrictEqual((await call(example, 'GetMe', { __cookie: { sid: seal } })).body.res.user, ALICE);
    });
});
