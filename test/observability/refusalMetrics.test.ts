import assert from 'assert';
import { limitRequestSize } from 'tsrpc-session/server';
import { CarrierServers, post, sessionSetCookie, startCarrierServers } from '../carriers/carrierServers';
import { RawWsJson } from '../helpers/rawCalls';
import { everyAttributeValue, OtelSdk, sumOf } from './otelSdk';

describe('OpenTelemetry counters of tickets, CSRF and size refusals, and the switch (issue 25)', () => {
    let sdk: OtelSdk | undefined;
    let env: CarrierServers | undefined;
    const sockets: RawWsJson[] = [];
    afterEach(async () => {
        await Promise.all(sockets.splice(0).map(s => s.close()));
        await env?.stop();
        await sdk?.unregister();
        env = sdk = undefined;
    });
    const socketAs = async (servers: CarrierServers, headers: Record<string, string>) => {
        const socket = await RawWsJson.open(servers.wsUrl, { headers });
        sockets.push(socket);
        return socket;
    };

    it('counts tickets issued and redeemed, CSRF refusals by transport and requests refused for size', async () => {
        sdk = new OtelSdk().register();
        const servers = env = await startCarrierServers({ carriers: ['httpCookie', 'body'], httpCookie: { secure: false } });
        limitRequestSize(servers.http, { maxBytes: 2048 });
        const browser = await socketAs(servers, { origin: `http://${servers.wsHost}` });
        const ticket = (await browser.call('SessionSet', { key: 'userId', value: 'carol' })).res.__sessionTicket as string;
        assert.ok(ticket);
        const exchanged = await post(servers.httpUrl, '__session', { ticket }, { 'sec-fetch-site': 'same-origin' });
        const cookie = sessionSetCookie(exchanged)!.value;
        assert.strictEqual((await post(servers.httpUrl, '__session', { ticket }, { 'sec-fetch-site': 'same-origin' })).status >= 400, true, 'redeemed once');

        assert.strictEqual((await post(servers.httpUrl, 'SessionGet', { key: 'userId' }, { origin: 'http://evil.example', cookie: `sid=${cookie}` })).status, 403);
        const hostile = await socketAs(servers, { origin: 'http://evil.example', cookie: `sid=${cookie}` });
        assert.strictEqual((await hostile.call('SessionGet', { key: 'userId' })).isSucc, false);
        assert.strictEqual((await post(servers.httpUrl, 'Ping', { padding: 'x'.repeat(4096) })).status, 413);

        const collected = await sdk.collect();
        assert.deepStrictEqual({
            issued: sumOf(collected, 'tsrpc_session.tickets.issued'),
            redeemed: sumOf(collected, 'tsrpc_session.tickets.redeemed'),
            csrfHttp: sumOf(collected, 'tsrpc_session.csrf.refused', { 'tsrpc_session.transport': 'http' }),
            csrfWebSocket: sumOf(collected, 'tsrpc_session.csrf.refused', { 'tsrpc_session.transport': 'websocket' }),
            tooLarge: sumOf(collected, 'tsrpc_session.requests.too_large'),
            storeKind: sdk.spans.find(s => s.name === 'tsrpc_session.store.create')?.attributes['tsrpc_session.store.kind'],
        }, { issued: 1, redeemed: 1, csrfHttp: 1, csrfWebSocket: 1, tooLarge: 1, storeKind: 'memory' });
        for (const value of everyAttributeValue(sdk.spans, collected)) {
            for (const secret of [ticket, cookie, 'carol']) assert.ok(!value.includes(secret), value);
        }
    });

    it('reports nothing with telemetry: false, and starts reporting when a provider is registered after enableSession()', async () => {
        const off = await startCarrierServers({ telemetry: false });
        const on = await startCarrierServers({});
        try {
            sdk = new OtelSdk().register();
            for (const servers of [off, on]) assert.ok((await post(servers.httpUrl, 'SessionSet', { key: 'k', value: 1 })).body.res.__cookie.sid.value);
            const collected = await sdk.collect();
            assert.strictEqual(sumOf(collected, 'tsrpc_session.sessions.created'), 1, 'only the plugin with telemetry on counts');
            assert.strictEqual(sdk.spans.filter(s => s.name === 'tsrpc_session.store.create').length, 1);
        } finally {
            await Promise.all([off.stop(), on.stop()]);
        }
    });

    it('refuses a telemetry switch that is not a boolean, naming the option', async () => {
        // Servers that start anyway are stopped, so a failure here leaves nothing running.
        const accepted = startCarrierServers({ telemetry: 'yes' as unknown as boolean }).then(async servers => { await servers.stop(); });
        await assert.rejects(accepted, /tsrpc-session: options\.telemetry must be true or false/);
        const servers = env = await startCarrierServers({});
        assert.throws(() => limitRequestSize(servers.http, { telemetry: 1 as unknown as boolean }), /tsrpc-session: limitRequestSize telemetry must be true or false/);
    });
});
