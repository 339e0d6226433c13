import assert from 'assert';
import { randomBytes } from 'crypto';
import { postJson } from '../helpers/rawCalls';
import { TEST_SECRETS } from '../helpers/sessionServer';
import { compactPayload, forgeSeal, SealedServers, sessionPayload, startSealedServers } from './sealedServers';

const OTHER_SECRET = 'another-apps-secret-0123456789-abcdefghij';
const IN_PROCESS_SEALS = 10_000;
const OVER_HTTP_SEALS = 300;

/** Deterministic, so a failure can be replayed: a 32-bit xorshift. */
function random(seed: number): () => number {
    let x = seed >>> 0 || 1;
    return () => {
        x ^= x << 13; x >>>= 0;
        x ^= x >>> 17;
        x ^= x << 5; x >>>= 0;
        return x / 2 ** 32;
    };
}

/**
 * Hostile seals built from genuine ones: every kind the issue names, chosen in turn. None may
 * open: each is a change to a sealed value, a seal under another key or binding, or not a seal.
 */
function hostileSeals(genuine: readonly string[], now: number, count: number, seed: number): { kind: string; seal: string }[] {
    const rnd = random(seed);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
    const payload = () => sessionPayload(now, { userId: 'mallory' });
    const bytesOf = (seal: string) => Buffer.from(seal, 'base64url');
    const twoDifferent = (): [string, string] => {
        const a = pick(genuine);
        const rest = genuine.filter(s => s !== a);
        return [a, pick(rest)];
    };
    const otherVersion = () => pick([0, 1, 3 + Math.floor(rnd() * 253)]);
    const makers: Record<string, () => string> = {
        truncated: () => { const s = pick(genuine); return s.slice(0, 1 + Math.floor(rnd() * (s.length - 1))); },
        'bit-flipped': () => {
            const b = bytesOf(pick(genuine));
            const at = Math.floor(rnd() * b.length);
            b[at] ^= 1 << Math.floor(rnd() * 8);
            return b.toString('base64url');
        },
        'nonce re-used from another seal': () => {
            const [a, b] = twoDifferent().map(bytesOf) as [Buffer, Buffer];
            b.set(a.subarray(15, 27), 15);
            return b.toString('base64url');
        },
        'tag of another seal': () => {
            const [a, b] = twoDifferent().map(bytesOf) as [Buffer, Buffer];
            b.set(a.subarray(a.length - 16), b.length - 16);
            return b.toString('base64url');
        },
        spliced: () => { const [a, b] = twoDifferent(); return a.slice(0, a.length >> 1) + b.slice(b.length >> 1); },
        'other key': () => forgeSeal(OTHER_SECRET, payload()),
        'other purpose (the ticket key)': () => forgeSeal(TEST_SECRETS[0], payload(), { info: 'tsrpc-session ticket' }),
        'other purpose (associated data)': () => forgeSeal(TEST_SECRETS[0], payload(), { purpose: 'ticket' }),
        'other cookie name': () => forgeSeal(TEST_SECRETS[0], payload(), { cookieName: 'other' }),
        'other app (audience)': () => forgeSeal(TEST_SECRETS[0], payload(), { audience: 'another-app' }),
        'other version': () => forgeSeal(TEST_SECRETS[0], payload(), { version: otherVersion() }),
        'version byte changed': () => { const b = bytesOf(pick(genuine)); b[0] = otherVersion(); return b.toString('base64url'); },
        'clear head edited (lineage or write count)': () => {
            const b = bytesOf(pick(genuine));
            b[1 + Math.floor(rnd() * 14)] ^= 1 + Math.floor(rnd() * 255);
            return b.toString('base64url');
        },
        huge: () => pick(genuine) + 'A'.repeat(4096 + Math.floor(rnd() * 100_000)),
        'non-base64': () => { const s = pick(genuine); const at = Math.floor(rnd() * s.length); return s.slice(0, at) + pick(['+', '/', '=', '.', ' ', '%', '\u0000', 'é', '"']) + s.slice(at + 1); },
        'non-canonical base64': () => { const s = pick(genuine); return s.slice(0, -1) + String.fromCharCode(s.charCodeAt(s.length - 1) ^ 1); },
        'random bytes': () => randomBytes(1 + Math.floor(rnd() * 400)).toString('base64url'),
        'expired, genuinely sealed': () => forgeSeal(TEST_SECRETS[0], { ...sessionPayload(now - 7_200_000, { userId: 'mallory' }) }),
        'genuine key, malformed payload': () => forgeSeal(TEST_SECRETS[0], pick([null, [], 'x', 1, { i: 5 }, { ...sessionPayload(now, {}), d: [] }, { ...sessionPayload(now, {}), e: 'soon' }])),
        'genuine key, malformed compact payload': () => {
            const good = compactPayload(now, { userId: 'mallory' }, { userId: 'mallory' });
            return forgeSeal(TEST_SECRETS[0], pick([
                Buffer.from([0x01]), good.subarray(0, 1 + Math.floor(rnd() * 30)), Buffer.concat([good.subarray(0, 23), Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])]),
                compactPayload(now, []), compactPayload(now, null), compactPayload(now, 'x'), Buffer.concat([compactPayload(now, {}), Buffer.from('}')]),
                compactPayload(now, {}, { userId: 'x' }).subarray(0, 30), Buffer.concat([good.subarray(0, 26), Buffer.from([0x20]), Buffer.from('"a"{}')]),
                compactPayload(now - 7_200_000, { userId: 'mallory' }),
            ]));
        },
    };
    const kinds = Object.keys(makers);
    return Array.from({ length: count }, (_, i) => ({ kind: kinds[i % kinds.length]!, seal: makers[kinds[i % kinds.length]!]!() }));
}

describe('sealed sessions: hostile seals (issue 24)', () => {
    let env: SealedServers;
    let genuine: string[];
    before(async () => {
        env = await startSealedServers();
        genuine = [];
        for (let i = 0; i < 20; i++) {
            const ret = await env.http.callApi('SessionSet', { key: 'userId', value: `user${i}`, __cookie: {} } as never);
            genuine.push((ret.res as any).__cookie.sid.value);
        }
    });
    after(async () => { await env.stop(); });

    it('the forger is right: a seal made with the server secret and binding opens, in either payload form (the fuzz could see an acceptance)', async () => {
        for (const payload of [sessionPayload(env.clock.now(), { userId: 'control' }), compactPayload(env.clock.now(), { userId: 'control' }, { userId: 'control' })]) {
            const forged = forgeSeal(TEST_SECRETS[0], payload);
            const ret = await env.http.callApi('SessionGet', { key: 'userId', __cookie: { sid: forged } } as never);
            assert.strictEqual((ret.res as any).value, 'control');
        }
    });

    it(`${IN_PROCESS_SEALS} hostile seals in process (server.callApi): 0 accepted, 0 crashes`, async function () {
        this.timeout(120_000);
        const accepted: string[] = [];
        const failed: string[] = [];
        for (const { kind, seal } of hostileSeals(genuine, env.clock.now(), IN_PROCESS_SEALS, 24)) {
            const ret = await env.http.callApi('SessionGetAll', { __cookie: { sid: seal } } as never);
            if (!ret.isSucc) failed.push(`${kind}: ${ret.err.message}`);
            else if ((ret.res as any).id !== undefined || Object.keys((ret.res as any).data).length > 0) accepted.push(kind);
        }
        assert.deepStrictEqual(accepted, [], 'accepted');
        assert.deepStrictEqual(failed.slice(0, 5), [], 'crashed');
        assert.ok((await env.http.callApi('SessionGet', { key: 'userId', __cookie: { sid: genuine[3] } } as never)).isSucc, 'still serving');
    });

    it(`${OVER_HTTP_SEALS} hostile seals over real HTTP, in the body and as a Cookie header: 0 accepted, 0 crashes`, async function () {
        this.timeout(120_000);
        const cookieEnv = await startSealedServers({ carriers: ['httpCookie', 'body'] });
        try {
            for (const { kind, seal } of hostileSeals(genuine, env.clock.now(), OVER_HTTP_SEALS, 7)) {
                const body = await postJson(cookieEnv.httpUrl, 'SessionGetAll', { __cookie: { sid: seal } });
                assert.ok(body.isSucc, `${kind} crashed: ${body.err?.message}`);
                assert.deepStrictEqual([body.res.id, body.res.data], [undefined, {}], `${kind} accepted`);
                if (/^[\x21-\x7e]*$/.test(seal) && !seal.includes(';') && seal.length < 16_000) {
                    const response = await fetch(`${cookieEnv.httpUrl}/SessionGetAll`, { method: 'POST', headers: { 'Content-Type': 'application/json', cookie: `sid=${seal}` }, body: '{}' });
                    const answer = JSON.parse(await response.text());
                    assert.ok(answer.isSucc, `${kind} crashed in a cookie`);
                    assert.deepStrictEqual([answer.res.id, answer.res.data], [undefined, {}], `${kind} accepted in a cookie`);
                }
            }
        } finally {
            await cookieEnv.stop();
        }
    });
});
