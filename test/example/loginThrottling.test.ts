import assert from 'assert';
import { ExampleTestApp, startExampleApp } from '../helpers/exampleApp';
import { silentLogger, Transport } from '../helpers/transports';

const ALICE = { username: 'alice', password: 'wonderland' };

/** Issue 22 item 3, through the example's API. */
describe('example login throttling', () => {
    let env: ExampleTestApp;
    let now = 1_000_000;
    beforeEach(async () => { env = await startExampleApp({}, silentLogger, { login: { freeFailures: 2, now: () => now } }); });
    afterEach(async () => { await env.stop(); });

    for (const transport of ['http-json', 'ws'] as Transport[]) {
        it(`lets alice in from a device she logged in from before while her username is locked (${transport})`, async () => {
            const { client: owner } = await env.client(transport);
            assert.ok((await owner.callApi('Login', ALICE)).isSucc);
            assert.ok((await owner.callApi('Logout', {})).isSucc);
            const { client: guesser } = await env.client(transport);
            for (let i = 0; i < 3; i++) await guesser.callApi('Login', { username: 'alice', password: `guess${i}` });
            assert.strictEqual((await guesser.callApi('Login', ALICE)).err?.code, 'LOGIN_THROTTLED');
            const { client: newDevice } = await env.client(transport);
            assert.strictEqual((await newDevice.callApi('Login', ALICE)).err?.code, 'LOGIN_THROTTLED');
            assert.ok((await owner.callApi('Login', ALICE)).isSucc, 'the known device gets in');
        });
    }

    it('believes X-Forwarded-For only from the example\'s forwarder: a local process rotating it is one address', async () => {
        const login = (i: number) => fetch(`${env.urls.http}/Login`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': `198.51.100.${i}` },
            body: JSON.stringify({ username: `nobody${i}`, password: 'x' }),
        }).then(r => r.json());
        const codes = [];
        for (let i = 0; i < 4; i++) codes.push((await login(i)).err?.code);
        assert.deepStrictEqual(codes, ['BAD_CREDENTIALS', 'BAD_CREDENTIALS', 'BAD_CREDENTIALS', 'LOGIN_THROTTLED']);
    });
});
