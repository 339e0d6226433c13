import assert from 'assert';
import { CapturingLogger } from '../helpers/capturingLogger';
import { HostileCookies } from '../helpers/hostileCookies';
import { postJson, RawReturn, RawWsJson } from '../helpers/rawCalls';
import { SessionTestServer, startSessionServer } from '../helpers/sessionServer';
import { Transport } from '../helpers/transports';
import { connect } from 'net';
import { CarrierServers, post, startCarrierServers } from '../carriers/carrierServers';

const SEED = Number(process.env.FUZZ_SEED ?? 20261122);
const INPUTS_PER_TRANSPORT = 6000;
const BINARY_INPUTS = 2000;
const PARALLEL = 25;
const CALL_TIMEOUT_MS = 5000;
const FORGER_SECRET = 'not-the-server-secret-but-32-bytes-or-more';

interface Tally {
    inputs: number;
    crashes: number;
    hangs: number;
    granted: number;
    rejectedByType: number;
}

/** Classifies one answer: a session granted, a crash (internal error), or fine. */
function judge(ret: RawReturn | 'hang', tally: Tally): void {
    tally.inputs++;
    if (ret === 'hang') {
        tally.hangs++;
    } else if (ret.isSucc) {
        const res = ret.res as { id?: string; data?: Record<string, unknown> };
        if (res.id !== undefined || Object.keys(res.data ?? {}).length > 0) tally.granted++;
    } else if (ret.err?.code === 'INPUT_DATA_ERR' || ret.err?.code === 'CLOSED') {
        tally.rejectedByType++;
    } else {
        tally.crashes++;
    }
}

function withTimeout(call: Promise<RawReturn>): Promise<RawReturn | 'hang'> {
    return Promise.race([call, new Promise<'hang'>(resolve => setTimeout(() => resolve('hang'), CALL_TIMEOUT_MS).unref())]);
}

async function inBatches(count: number, run: (i: number) => Promise<void>): Promise<void> {
    for (let start = 0; start < count; start += PARALLEL) {
        await Promise.all(Array.from({ length: Math.min(PARALLEL, count - start) }, (_, j) => run(start + j)));
    }
}

describe(`fuzzing __cookie (seed ${SEED}; replay with FUZZ_SEED)`, function () {
    this.timeout(300_000);
    let env: SessionTestServer;
    let logger: CapturingLogger;
    let victimSid: string;
    const tallies: Record<string, Tally> = {};

    const start = async (transport: Transport) => {
        logger = new CapturingLogger();
        env = await startSessionServer(transport, {}, logger);
        const victim = await env.client();
        await victim.client.callApi('SessionSet', { key: 'secret', value: 'victim-data' });
        victimSid = (await victim.jar!.get('sid'))!;
        env.store.reset();
    };

    const assertSurvived = async (name: string) => {
        const tally = tallies[name];
        console.log(`      ${name}: ${tally.inputs} inputs, ${tally.crashes} crashes, ${tally.hangs} hangs, ${tally.granted} sessions granted (${tally.rejectedByType} refused by the protocol's type check)`);
        assert.deepStrictEqual({ crashes: tally.crashes, hangs: tally.hangs, granted: tally.granted }, { crashes: 0, hangs: 0, granted: 0 });
        assert.strictEqual(env.store.counts.create, 0, 'no session created');
        assert.ok(!/Internal Server Error|Uncaught/.test(logger.text), 'no internal error logged');
        const raw = await env.client(null);
        const ret = await raw.client.callApi('SessionGet', { key: 'secret', __cookie: { sid: victimSid } });
        assert.deepStrictEqual(ret.isSucc && ret.res.value, 'victim-data', 'the server still answers, and the real session is intact');
    };

    afterEach(async () => { await env.stop(); });

    it(`${INPUTS_PER_TRANSPORT} raw JSON posts over HTTP`, async () => {
        await start('http-json');
        const hostile = new HostileCookies(SEED, victimSid, FORGER_SECRET);
        const tally = tallies.HTTP = { inputs: 0, crashes: 0, hangs: 0, granted: 0, rejectedByType: 0 };
        await inBatches(INPUTS_PER_TRANSPORT, async i => {
            const body = i % 20 === 0 ? `{"__cookie":${JSON.stringify(hostile.cookie()).slice(0, -1)}` : { __cookie: hostile.cookie() };
            judge(await withTimeout(postJson(env.url, 'SessionGetAll', body)), tally);
        });
        await assertSurvived('HTTP');
    });

    it(`${INPUTS_PER_TRANSPORT} raw JSON frames over WebSocket`, async () => {
        await start('ws');
        const hostile = new HostileCookies(SEED + 1, victimSid, FORGER_SECRET);
        const tally = tallies.WS = { inputs: 0, crashes: 0, hangs: 0, granted: 0, rejectedByType: 0 };
        const sockets: RawWsJson[] = [];
        let socket = await RawWsJson.open(env.url);
        sockets.push(socket);
        try {
            await inBatches(INPUTS_PER_TRANSPORT, async () => {
                if (socket.closeReason !== undefined) sockets.push(socket = await RawWsJson.open(env.url));
                judge(await withTimeout(socket.call('SessionGetAll', { __cookie: hostile.cookie() })), tally);
            });
        } finally {
            await Promise.all(sockets.map(s => s.close()));
        }
        await assertSurvived('WS');
    });

    it(`${BINARY_INPUTS} validly typed hostile cookies through the tsrpc binary client`, async () => {
        await start('http-binary');
        const hostile = new HostileCookies(SEED + 2, victimSid, FORGER_SECRET);
        const tally = tallies['HTTP binary'] = { inputs: 0, crashes: 0, hangs: 0, granted: 0, rejectedByType: 0 };
        const { client } = await env.client(null);
        await inBatches(BINARY_INPUTS, async () => {
            const call = client.callApi('SessionGetAll', { __cookie: hostile.validlyTypedCookie() }) as Promise<RawReturn>;
            judge(await withTimeout(call), tally);
        });
        await assertSurvived('HTTP binary');
    });
});

/** One raw HTTP request over TCP, header value as given (CR and LF dropped); the answer, or 'hang'. */
function rawHttp(port: number, headerName: string, headerValue: string): Promise<{ status: number; body: string } | 'hang'> {
    return new Promise(resolve => {
        const socket = connect(port, '127.0.0.1');
        const chunks: Buffer[] = [];
        const timer = setTimeout(() => { socket.destroy(); resolve('hang'); }, CALL_TIMEOUT_MS);
        socket.on('data', chunk => chunks.push(chunk));
        socket.on('error', () => {});
        socket.on('close', () => {
            clearTimeout(timer);
            const text = Buffer.concat(chunks).toString('utf8');
            resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), body: text.slice(text.indexOf('\r\n\r\n') + 4) });
        });
        socket.write(Buffer.from([
            'POST /SessionGetAll HTTP/1.1', `Host: 127.0.0.1:${port}`, 'Content-Type: application/json', 'Content-Length: 2', 'Connection: close',
            `${headerName}: ${headerValue.replace(/[\r\n]/g, '')}`, '', '{}',
        ].join('\r\n'), 'utf8'));
    });
}

/** Node's own HTTP parser refuses some values (a NUL byte, 200 kB) with a bare 400 or 431: answered, not a crash. */
function judgeHttp(answer: { status: number; body: string } | 'hang', tally: Tally): void {
    if (answer === 'hang') return judge('hang', tally);
    let ret: RawReturn | undefined;
    try {
        ret = JSON.parse(answer.body);
    } catch {
        ret = undefined;
    }
    if (ret === undefined && (answer.status === 400 || answer.status === 431)) {
        tally.inputs++;
        tally.rejectedByType++;
        return;
    }
    judge(ret ?? { isSucc: false, err: { message: `HTTP ${answer.status}`, code: 'UNANSWERED' } }, tally);
}

/** What `ws` lets a client put in a header: printable Latin-1 (the server sees whatever arrives). */
const sendableHeader = (value: string) => value.replace(/[^\t\x20-\x7e\x80-\xff]/g, '');

describe(`fuzzing the Cookie header, the session header and the WebSocket handshake (seed ${SEED})`, function () {
    this.timeout(300_000);
    const CARRIER_INPUTS = 400;
    let env: CarrierServers;
    let logger: CapturingLogger;
    let victimSid: string;
    let port: number;
    const tallies: Record<string, Tally> = {};

    beforeEach(async () => {
        logger = new CapturingLogger();
        env = await startCarrierServers({ carriers: ['body', 'httpCookie', 'header'], httpCookie: { secure: false } }, logger);
        victimSid = (await post(env.httpUrl, 'SessionSet', { key: 'secret', value: 'victim-data' })).body.res.__cookie.sid.value;
        port = Number(new URL(env.httpUrl).port);
        env.store.reset();
    });
    afterEach(async () => { await env.stop(); });

    const assertSurvived = async (name: string) => {
        const tally = tallies[name];
        console.log(`      ${name}: ${tally.inputs} inputs, ${tally.crashes} crashes, ${tally.hangs} hangs, ${tally.granted} sessions granted (${tally.rejectedByType} refused before the plugin)`);
        assert.deepStrictEqual({ crashes: tally.crashes, hangs: tally.hangs, granted: tally.granted }, { crashes: 0, hangs: 0, granted: 0 });
        assert.strictEqual(tally.inputs, CARRIER_INPUTS);
        assert.strictEqual(env.store.counts.create, 0, 'no session created');
        assert.ok(!/Internal Server Error|Uncaught/.test(logger.text), 'no internal error logged');
        const ret = await post(env.httpUrl, 'SessionGet', { key: 'secret' }, { 'x-session-id': victimSid });
        assert.strictEqual(ret.body.res.value, 'victim-data', 'the server still answers, and the real session is intact');
    };

    for (const [name, header, make] of [
        ['Cookie header', 'Cookie', (h: HostileCookies) => h.cookieHeader()],
        ['session header', 'x-session-id', (h: HostileCookies) => h.headerValue()],
    ] as const) {
        it(`${CARRIER_INPUTS} hostile values of the ${name} over HTTP`, async () => {
            const hostile = new HostileCookies(SEED + 3, victimSid, FORGER_SECRET);
            const tally = tallies[name] = { inputs: 0, crashes: 0, hangs: 0, granted: 0, rejectedByType: 0 };
            await inBatches(CARRIER_INPUTS, async () => judgeHttp(await rawHttp(port, header, make(hostile)), tally));
            await assertSurvived(name);
        });
    }

    it(`${CARRIER_INPUTS} hostile handshakes (Cookie or session header on the upgrade, same-origin or not)`, async () => {
        const hostile = new HostileCookies(SEED + 4, victimSid, FORGER_SECRET);
        const tally = tallies.handshake = { inputs: 0, crashes: 0, hangs: 0, granted: 0, rejectedByType: 0 };
        await inBatches(CARRIER_INPUTS, async i => {
            const headers: Record<string, string> = i % 2 === 0 ? { cookie: sendableHeader(hostile.cookieHeader()) } : { 'x-session-id': sendableHeader(hostile.headerValue()) };
            if (i % 3 === 0) headers.origin = `http://${env.wsHost}`;
            let socket: RawWsJson | undefined;
            try {
                socket = await RawWsJson.open(env.wsUrl, { headers, handshakeTimeout: CALL_TIMEOUT_MS });
            } catch {
                // `ws` itself refused to send it, or the server refused the upgrade: nothing was granted.
                tally.inputs++;
                tally.rejectedByType++;
                return;
            }
            try {
                judge(await withTimeout(socket.call('SessionGetAll', {})), tally);
            } finally {
                await socket.close();
            }
        });
        await assertSurvived('handshake');
    });
});
