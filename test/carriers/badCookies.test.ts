import assert from 'assert';
import { SessionIdCodec } from '../../backend/src/session/core/SessionIdCodec';
import { SessionTestServer, startSessionServer, TEST_SECRETS } from '../helpers/sessionServer';
import { postJson, RawWsJson } from '../helpers/rawCalls';
import { TRANSPORTS } from '../helpers/transports';

const CLEAR_SID = { sid: { value: null } };

/** Session cookies that must never grant a session, each with why. */
function hostileSids(validSid: string): [string, string][] {
    const codec = new SessionIdCodec(TEST_SECRETS);
    const [id, signature] = validSid.split('.');
    const flipped = signature[0] === 'A' ? 'B' + signature.slice(1) : 'A' + signature.slice(1);
    return [
        ['a tampered signature', `${id}.${flipped}`],
        ['a tampered id', `${id.slice(0, -1)}${id.endsWith('A') ? 'B' : 'A'}.${signature}`],
        ['an unknown id, validly signed', codec.sign(codec.newId())],
        ['an id signed with a foreign secret', new SessionIdCodec(['another-secret-that-is-32-bytes-long!!']).sign(id)],
        ['the signature with its spare base64 bits changed', `${id}.${signature.slice(0, -1)}${spareBitsFlipped(signature.slice(-1))}`],
        ['an unsigned id', id],
        ['an empty string', ''],
        ['an oversized value (1 MB)', 'x'.repeat(1024 * 1024)],
        ['wrong characters', `${'!'.repeat(43)}.${signature}`],
        ['unicode', `${'é'.repeat(43)}.${signature}`],
    ];
}

/** The last of 43 base64url characters carries 2 unused bits: the same bytes, another string. */
function spareBitsFlipped(char: string): string {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    return alphabet[alphabet.indexOf(char) ^ 1];
}

for (const transport of TRANSPORTS) {
    describe(`hostile session cookies over ${transport}`, () => {
        let env: SessionTestServer;
        let validSid: string;
        beforeEach(async () => {
            env = await startSessionServer(transport);
            const { client, jar } = await env.client();
            await client.callApi('SessionSet', { key: 'secret', value: 'only-for-the-owner' });
            validSid = (await jar!.get('sid'))!;
        });
        afterEach(async () => { await env.stop(); });

        it('treats each as no session and tells the client to clear it', async () => {
            const { client } = await env.client(null);
            for (const [why, sid] of hostileSids(validSid)) {
                env.store.reset();
                const ret = await client.callApi('SessionGetAll', { __cookie: { sid } });
                assert.deepStrictEqual(ret, { isSucc: true, res: { data: {}, __cookie: CLEAR_SID } }, why);
                assert.strictEqual(env.store.counts.create, 0, `${why}: no session may be created`);
            }
        });

        it('never reaches the store with a malformed or badly signed id', async () => {
            const { client } = await env.client(null);
            const unverifiable = hostileSids(validSid).filter(([why]) => !why.startsWith('an unknown id'));
            for (const [why, sid] of unverifiable) {
                env.store.reset();
                await client.callApi('SessionGetAll', { __cookie: { sid } });
                assert.strictEqual(env.store.total, 0, why);
            }
        });

        it('a client whose jar holds a bad sid drops it and gets a fresh session on its next write', async () => {
            const { client, jar } = await env.client();
            await jar!.apply({ sid: { value: `${validSid.slice(0, -1)}x` } }, {});
            const ret = await client.callApi('SessionGetAll', {});
            assert.deepStrictEqual(ret.isSucc && ret.res.data, {});
            assert.strictEqual(await jar!.get('sid'), undefined);
            await client.callApi('SessionSet', { key: 'mine', value: 1 });
            assert.notStrictEqual(await jar!.get('sid'), validSid);
        });
    });
}

describe('wrongly typed __cookie values (raw JSON that bypasses the client)', () => {
    const wrongShapes: [string, unknown][] = [
        ['a number sid', { sid: 42 }],
        ['an object sid', { sid: { $ne: null } }],
        ['an array __cookie', ['sid']],
        ['a string __cookie', 'sid=abc'],
        ['a null sid', { sid: null }],
        ['a nested array sid', { sid: [['a']] }],
    ];

    describe('over HTTP', () => {
        let env: SessionTestServer;
        before(async () => { env = await startSessionServer('http-json'); });
        after(async () => { await env.stop(); });

        it('answers INPUT_DATA_ERR, creates nothing, and keeps serving', async () => {
            for (const [why, cookie] of wrongShapes) {
                const ret = await postJson(env.url, 'SessionSet', { key: 'k', value: 1, __cookie: cookie });
                assert.strictEqual(ret.isSucc, false, why);
                assert.strictEqual(ret.err?.code, 'INPUT_DATA_ERR', why);
            }
            assert.strictEqual(env.store.total, 0);
            assert.deepStrictEqual(await postJson(env.url, 'Ping', {}), { isSucc: true, res: {} });
        });
    });

    describe('over WebSocket', () => {
        let env: SessionTestServer;
        const sockets: RawWsJson[] = [];
        before(async () => { env = await startSessionServer('ws'); });
        after(async () => {
            await Promise.all(sockets.map(s => s.close()));
            await env.stop();
        });

        it('closes that socket with the validation error as reason, creates nothing, and keeps serving others', async () => {
            for (const [why, cookie] of wrongShapes) {
                const socket = await RawWsJson.open(env.url);
                sockets.push(socket);
                const ret = await socket.call('SessionSet', { key: 'k', value: 1, __cookie: cookie });
                assert.strictEqual(ret.isSucc, false, why);
                assert.match(ret.err!.message, /__cookie/, why);
            }
            assert.strictEqual(env.store.total, 0);
            const healthy = await RawWsJson.open(env.url);
            sockets.push(healthy);
            assert.deepStrictEqual(await healthy.call('Ping', {}), { isSucc: true, res: {} });
        });
    });
});
