/**
 * Issue 22 item 1, at the HTTP level: a sibling origin (another port of the host, a sibling
 * subdomain) plants a second session cookie on a longer path or a parent domain. A request with
 * several is trusted in none; clearing answers sweep every (path, domain) the browser could have
 * sent one from, never the one the answer sets. The Chromium suite (test/browser/cookieTossing)
 * performs the same attacks in a real browser.
 */
import assert from 'assert';
import { request } from 'http';
import { SessionAuditEvent } from 'tsrpc-session/server';
import { RawWsJson } from '../helpers/rawCalls';
import { CarrierServers, post, sessionSetCookie, startCarrierServers } from './carrierServers';

const SAME_ORIGIN = { 'sec-fetch-site': 'same-origin' };

describe('planted session cookies (issue 22 item 1)', () => {
    let env: CarrierServers;
    let events: SessionAuditEvent[];
    let alice: string;
    let bob: string;
    const login = async (user: string) => sessionSetCookie(await post(env.httpUrl, 'SessionSet', { key: 'userId', value: user }, SAME_ORIGIN))!.value;
    const userOf = async (cookie: string) => (await post(env.httpUrl, 'SessionGet', { key: 'userId' }, { ...SAME_ORIGIN, cookie })).body.res.value;

    beforeEach(async () => {
        events = [];
        env = await startCarrierServers({ carriers: ['httpCookie', 'body'], httpCookie: { secure: false }, onAudit: e => events.push(e) });
        alice = await login('alice');
        bob = await login('bob');
        events.length = 0;
    });
    afterEach(async () => { await env.stop(); });

    it('two session cookies (bob\'s planted on a longer path first): anonymous, audited as duplicate, each cleared', async () => {
        // fetch will not send another Host: a plain request, as the browser on app.shop.localhost sends it.
        const answer = await rawPost(env.httpUrl, 'SessionGet', { key: 'userId' }, { ...SAME_ORIGIN, cookie: `sid=${bob}; theme=dark; sid=${alice}`, host: 'app.shop.localhost' });
        assert.strictEqual(answer.body.res.value, undefined, 'the call ran in a planted session');
        assert.deepStrictEqual(events.map(e => [e.type, e.reason]), [['rejected', 'duplicate']]);
        const lines = answer.setCookies;
        assert.ok(lines.every(line => /^sid=; Path=[^;]+; (Domain=[^;]+; )?Max-Age=0; /.test(line)), lines.join('\n'));
        const places = lines.map(line => `${/Path=([^;]+)/.exec(line)![1]} ${/Domain=([^;]+)/.exec(line)?.[1] ?? 'host-only'}`).sort();
        const expected = ['/', '/SessionGet'].flatMap(path => ['host-only', 'app.shop.localhost', 'shop.localhost'].map(domain => `${path} ${domain}`));
        assert.deepStrictEqual(places, expected.sort());
        assert.strictEqual(await userOf(`sid=${alice}`), 'alice', 'the sessions themselves live on');
    });

    it('an invalid cookie planted beside a valid one logs out once; the next login sets one cookie that is used', async () => {
        const planted = `${'A'.repeat(43)}.${'B'.repeat(43)}`;
        const first = await post(env.httpUrl, 'SessionGet', { key: 'userId' }, { ...SAME_ORIGIN, cookie: `sid=${planted}; sid=${alice}` });
        assert.strictEqual(first.body.res.value, undefined);
        assert.ok(first.headers.getSetCookie().some(line => line.startsWith('sid=; Path=/SessionGet;')), 'the planted path is swept');
        assert.ok(first.headers.getSetCookie().every(line => line.startsWith('sid=;')), 'nothing is set');
        // Swept: the browser now sends nothing; a login sets the one cookie.
        const again = await login('alice');
        assert.strictEqual(await userOf(`sid=${again}`), 'alice');
    });

    it('a single planted cookie replaced by a login is swept from every other path, the new cookie set last', async () => {
        const answer = await post(env.httpUrl, 'SessionRegenerate', { keepData: true }, { ...SAME_ORIGIN, cookie: `sid=${bob}` });
        const lines = answer.headers.getSetCookie();
        assert.ok(lines.length >= 2, lines.join('\n'));
        assert.ok(lines.slice(0, -1).every(line => line.startsWith('sid=;') && !/Path=\/;/.test(line)), 'the sweep never clears the path it sets');
        assert.match(lines.at(-1)!, /^sid=[\w-]{43}\.[\w-]{43}; Path=\/;/);
    });

    it('an unchanged session touches no other path: one line or none', async () => {
        const answer = await post(env.httpUrl, 'SessionGet', { key: 'userId' }, { ...SAME_ORIGIN, cookie: `sid=${alice}` });
        assert.strictEqual(answer.body.res.value, 'alice');
        assert.deepStrictEqual(answer.headers.getSetCookie(), []);
    });

    it('a WebSocket upgrade with two session cookies is anonymous and audited; its clearing ticket sweeps at the exchange', async () => {
        const cookie = `sid=${bob}; sid=${alice}`;
        const socket = await RawWsJson.open(env.wsUrl, { headers: { origin: `http://${env.wsHost}`, cookie } });
        try {
            const ret = await socket.call('SessionGet', { key: 'userId' });
            assert.strictEqual(ret.res.value, undefined, 'the socket was bound to a planted session');
            assert.deepStrictEqual(events.map(e => [e.type, e.reason]), [['rejected', 'duplicate']]);
            const ticket = ret.res.__sessionTicket as string;
            assert.ok(ticket, 'the first answer tells the page to drop the cookies');
            const exchanged = await post(env.httpUrl, '__session', { ticket }, { ...SAME_ORIGIN, cookie });
            const lines = exchanged.headers.getSetCookie();
            assert.ok(lines.some(line => line.startsWith('sid=; Path=/;')) && lines.some(line => line.startsWith('sid=; Path=/__session;')), lines.join('\n'));
        } finally {
            await socket.close();
        }
    });
});

describe('a Secure session cookie is a __Host- cookie (issue 22 item 1)', () => {
    let env: CarrierServers;
    afterEach(async () => { await env.stop(); });

    it('named __Host-sid, Path=/, no Domain; a planted plain sid is ignored', async () => {
        env = await startCarrierServers({ carriers: ['httpCookie', 'body'] });
        const set = await post(env.httpUrl, 'SessionSet', { key: 'userId', value: 'alice' }, SAME_ORIGIN);
        const [line] = set.headers.getSetCookie();
        assert.match(line, /^__Host-sid=[\w-]{43}\.[\w-]{43}; Path=\/; Max-Age=\d+; Expires=[^;]+; HttpOnly; Secure; SameSite=Lax$/);
        const value = sessionSetCookie(set, '__Host-sid')!.value;
        const bob = sessionSetCookie(await post(env.httpUrl, 'SessionSet', { key: 'userId', value: 'bob' }, SAME_ORIGIN), '__Host-sid')!.value;
        const answer = await post(env.httpUrl, 'SessionGet', { key: 'userId' }, { ...SAME_ORIGIN, cookie: `sid=${bob}; __Host-sid=${value}` });
        assert.strictEqual(answer.body.res.value, 'alice');
    });
});

/** A POST with any Host header (fetch refuses to send one). */
function rawPost(baseUrl: string, path: string, body: unknown, headers: Record<string, string>): Promise<{ body: any; setCookies: string[] }> {
    return new Promise((resolve, reject) => {
        const req = request(`${baseUrl}/${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, res => {
            const chunks: Buffer[] = [];
            res.on('data', chunk => chunks.push(chunk));
            res.on('end', () => resolve({ body: JSON.parse(Buffer.concat(chunks).toString()), setCookies: res.headers['set-cookie'] ?? [] }));
        });
        req.on('error', reject);
        req.end(JSON.stringify(body));
    });
}
