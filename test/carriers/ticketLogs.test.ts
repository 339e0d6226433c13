/**
 * Issue 22 item 5: TSRPC logs every response and error; a WebSocket session ticket read from the
 * log within its 30 seconds is redeemable for the session cookie, so it must print redacted.
 */
import assert from 'assert';
import { CapturingLogger } from '../helpers/capturingLogger';
import { RawWsJson } from '../helpers/rawCalls';
import { CarrierServers, post, startCarrierServers } from './carrierServers';

describe('session tickets never reach the server log (issue 22 item 5)', () => {
    let env: CarrierServers;
    let logger: CapturingLogger;
    let socket: RawWsJson;
    beforeEach(async () => {
        logger = new CapturingLogger();
        env = await startCarrierServers({ carriers: ['httpCookie', 'body'], httpCookie: { secure: false } }, logger);
        socket = await RawWsJson.open(env.wsUrl, { headers: { origin: `http://${env.wsHost}` } });
    });
    afterEach(async () => {
        await socket.close();
        await env.stop();
    });

    it('a ticket on a response is logged as [ticket redacted], and still redeems', async () => {
        const login = await socket.call('SessionSet', { key: 'userId', value: 'alice' });
        const ticket = login.res.__sessionTicket as string;
        assert.ok(ticket, 'the response carried a ticket');
        assert.ok(logger.lines.some(line => line.includes('[ApiRes]') && line.includes('[ticket redacted]')), logger.text);
        assert.ok(!logger.text.includes(ticket), 'the ticket is in the server log');
        assert.strictEqual((await post(env.httpUrl, '__session', { ticket }, { 'sec-fetch-site': 'same-origin' })).status, 200);
    });

    it('a ticket on an error is logged as [ticket redacted], and the error keeps its fields', async () => {
        const failed = await socket.call('SessionSet', { key: 'userId', value: 'bob', fail: true });
        const ticket = failed.err!.__sessionTicket as string;
        assert.strictEqual(failed.err!.code, 'TEST_FAILURE');
        assert.ok(ticket, 'the error carried a ticket');
        const line = logger.lines.find(l => l.includes('[ApiErr]'))!;
        assert.match(line, /TsrpcError[\s\S]*Failed on purpose[\s\S]*TEST_FAILURE[\s\S]*\[ticket redacted\]/);
        assert.ok(!logger.text.includes(ticket), 'the ticket is in the server log');
    });
});
