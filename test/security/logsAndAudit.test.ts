import assert from 'assert';
import { MemoryStore, SessionAuditEvent } from 'tsrpc-session/server';
import { CapturingLogger } from '../helpers/capturingLogger';
import { ExampleTestApp, startExampleApp } from '../helpers/exampleApp';
import { SessionTestServer, startSessionServer } from '../helpers/sessionServer';
import { TestClock } from '../helpers/testClock';
import { TRANSPORTS } from '../helpers/transports';

for (const transport of TRANSPORTS) {
    describe(`logs and audit over ${transport}`, () => {
        it('session ids never reach the server log, though TSRPC logs request and response bodies', async () => {
            const logger = new CapturingLogger();
            const env: ExampleTestApp = await startExampleApp({}, logger);
            try {
                const { client, jar } = await env.client(transport);
                await client.callApi('AddToCart', { item: 'tea', quantity: 1 });
                const anonymousSid = (await jar!.get('sid'))!;
                await client.callApi('Login', { username: 'alice', password: 'wonderland' });
                const sid = (await jar!.get('sid'))!;
                await client.callApi('GetMe', {});
                await client.callApi('AddToCart', { item: 'tea', quantity: 0 });
                await client.callApi('Logout', {});
                await (await env.client(transport, null)).client.callApi('GetMe', { __cookie: { sid } });

                assert.ok(logger.lines.some(line => line.includes('[ApiRes]')), 'the server did log bodies');
                assert.ok(logger.text.includes('[cookies redacted]'), 'cookie updates show as redacted');
                for (const value of [sid, anonymousSid]) {
                    const [id, signature] = value.split('.');
                    assert.ok(!logger.text.includes(id), 'the id is not in the log');
                    assert.ok(!logger.text.includes(signature), 'the signature is not in the log');
                }
            } finally {
                await env.stop();
            }
        });

        it('emits audit events with a salted hash, never the id', async () => {
            const events: SessionAuditEvent[] = [];
            const env: SessionTestServer = await startSessionServer(transport, { onAudit: e => events.push(e), auditSalt: 'salt-for-this-test' });
            try {
                const { client, jar } = await env.client();
                await client.callApi('SessionSet', { key: 'userId', value: 'u1' });
                const firstSid = (await jar!.get('sid'))!;
                await client.callApi('SessionRegenerate', {});
                const secondSid = (await jar!.get('sid'))!;
                await client.callApi('SessionDestroy', {});
                const raw = await env.client(null);
                await raw.client.callApi('SessionGet', { key: 'k', __cookie: { sid: `${firstSid.slice(0, -2)}xx` } });
                await raw.client.callApi('SessionGet', { key: 'k', __cookie: { sid: secondSid } });

                assert.deepStrictEqual(events.map(e => [e.type, e.reason]), [
                    ['created', undefined], ['regenerated', undefined], ['destroyed', undefined], ['rejected', 'tampered'], ['rejected', 'unknown'],
                ]);
                const [created, regenerated, destroyed] = events;
                assert.strictEqual(regenerated.previousHash, created.sessionHash);
                assert.strictEqual(destroyed.sessionHash, regenerated.sessionHash);
                assert.strictEqual(created.userId, 'u1');
                const serialized = JSON.stringify(events);
                for (const sid of [firstSid, secondSid]) {
                    for (const part of sid.split('.')) assert.ok(!serialized.includes(part));
                }
            } finally {
                await env.stop();
            }
        });

        it('reports a session the store still holds but a stricter timeout has ended as expired', async () => {
            const store = new MemoryStore();
            const events: SessionAuditEvent[] = [];
            const clock = new TestClock();
            const lenient = await startSessionServer(transport, { store, idleTimeoutMs: 60_000, touchAfterMs: 1000, now: clock.now });
            const strict = await startSessionServer(transport, { store, idleTimeoutMs: 200, touchAfterMs: 0, onAudit: e => events.push(e), now: clock.now });
            try {
                const { client, jar } = await lenient.client();
                await client.callApi('SessionSet', { key: 'k', value: 1 });
                await clock.advance(300);
                const raw = await strict.client(null);
                const ret = await raw.client.callApi('SessionGet', { key: 'k', __cookie: { sid: (await jar!.get('sid'))! } });
                assert.deepStrictEqual(ret, { isSucc: true, res: { __cookie: { sid: { value: null } } } });
                assert.deepStrictEqual(events.map(e => e.type), ['expired']);
            } finally {
                await Promise.all([lenient.stop(), strict.stop()]);
            }
        });

        it('a throwing audit hook never breaks a call', async () => {
            const env = await startSessionServer(transport, { onAudit: () => { throw new Error('audit sink down'); } });
            try {
                const { client } = await env.client();
                assert.deepStrictEqual(await client.callApi('SessionSet', { key: 'k', value: 1 }), { isSucc: true, res: {} });
            } finally {
                await env.stop();
            }
        });
    });
}
