import assert from 'assert';
import { HttpServer } from 'tsrpc';
import { enableSession, MemoryStore, SessionOptions, SessionStore } from 'tsrpc-session/server';
import { serviceProto } from '../protocols/serviceProto';
import { SessionTestServer, startSessionServer, TEST_SECRETS } from '../helpers/sessionServer';
import { silentLogger, TRANSPORTS } from '../helpers/transports';

const MINUTE = 60_000;
// Typed loosely on purpose: JavaScript callers reach the run-time checks the types would stop.
const register = (options: Partial<SessionOptions>) =>
    enableSession(new HttpServer(serviceProto, { port: 0, logger: silentLogger }), options as SessionOptions);

/** The defaults the README's options table names. */
const DEFAULT_HTTP_COOKIE = { secure: true, sameSite: 'Lax', path: '/', domain: undefined, trustedOrigins: [], exchangePath: '__session' };
const DEFAULTS = {
    cookieName: 'sid', carriers: ['body'], httpCookie: DEFAULT_HTTP_COOKIE, sessionHeader: 'x-session-id',
    idleTimeoutMs: 30 * MINUTE, absoluteTimeoutMs: 24 * 60 * MINUTE, touchAfterMs: MINUTE, rolling: false, saveUninitialized: false,
    userIdKey: 'userId', maxCookies: 32, maxCookieBytes: 4096, storeTimeoutMs: 5000, renewIdAfterMs: 0, renewGraceMs: 10_000,
    onAudit: undefined, auditSalt: '', now: Date.now,
};

describe('options are checked at registration', () => {
    const invalid: [string, Partial<SessionOptions>, RegExp][] = [
        ['no secrets', {}, /^tsrpc-session: options\.secrets is required: .*npx tsrpc-session secret\)$/],
        ['an empty secrets list', { secrets: [] }, /^tsrpc-session: options\.secrets needs at least one secret/],
        ['a secret under 32 bytes', { secrets: ['short'] }, /options\.secrets\[0\] must be a string of at least 32 bytes/],
        ['a store missing a method', { secrets: TEST_SECRETS, store: { load: async () => undefined } as unknown as SessionStore }, /options\.store is missing the method create\(\)/],
        ['touchAfterMs not shorter than idleTimeoutMs', { secrets: TEST_SECRETS, idleTimeoutMs: 1000, touchAfterMs: 1000 }, /touchAfterMs must be shorter than options\.idleTimeoutMs/],
        ['idleTimeoutMs above absoluteTimeoutMs', { secrets: TEST_SECRETS, idleTimeoutMs: 2000, absoluteTimeoutMs: 1000, touchAfterMs: 10 }, /idleTimeoutMs must not exceed/],
        ['a cookie name with a space', { secrets: TEST_SECRETS, cookieName: 'my sid' }, /cookieName 'my sid' is not a valid cookie name/],
        ['__proto__ as cookie name', { secrets: TEST_SECRETS, cookieName: '__proto__' }, /not a valid cookie name/],
        ['a negative timeout', { secrets: TEST_SECRETS, storeTimeoutMs: -1 }, /storeTimeoutMs must be a non-negative integer/],
    ];
    for (const [why, options, message] of invalid) {
        it(`refuses ${why}`, () => {
            assert.throws(() => register(options), { name: 'TypeError', message });
        });
    }

    it('fills every unset option from the defaults', () => {
        const { options } = register({ secrets: TEST_SECRETS });
        assert.ok(Object.isFrozen(options));
        assert.ok(options.store instanceof MemoryStore);
        for (const [name, value] of Object.entries(DEFAULTS)) {
            // The resolved cookie options add the HTTP cookie's derived name.
            const expected = name === 'httpCookie' ? { ...DEFAULT_HTTP_COOKIE, name: '__Host-sid' } : value;
            assert.deepStrictEqual(options[name as keyof typeof DEFAULTS], expected, name);
        }
        assert.strictEqual(typeof options.sessionLabel, 'function');
        assert.strictEqual(options.anonymousIdleTimeoutMs, options.idleTimeoutMs, 'anonymous sessions default to the idle timeout');
    });

    it('lets an explicit undefined fall back to the default', () => {
        const { options } = register({ secrets: TEST_SECRETS, cookieName: undefined });
        assert.strictEqual(options.cookieName, 'sid');
    });
});

describe('carrier options (issue 13)', () => {
    it('defaults: the body only, a Secure Lax cookie at /, the x-session-id header', () => {
        const { options } = register({ secrets: TEST_SECRETS, httpCookie: { secure: false }, sessionHeader: 'X-Token' });
        assert.deepStrictEqual(options.carriers, ['body']);
        assert.deepStrictEqual(options.httpCookie, { ...DEFAULT_HTTP_COOKIE, secure: false, name: 'sid' });
        assert.strictEqual(register({ secrets: TEST_SECRETS }).options.httpCookie.name, '__Host-sid', 'a Secure cookie takes the __Host- prefix');
        assert.strictEqual(register({ secrets: TEST_SECRETS, cookieName: 'app', carriers: ['httpCookie'] }).options.httpCookie.name, '__Host-app');
        assert.strictEqual(options.sessionHeader, 'x-token', 'header names are lower-cased, as Node reads them');
        assert.deepStrictEqual(register({ secrets: TEST_SECRETS, httpCookie: { trustedOrigins: ['https://App.Example:443'] } }).options.httpCookie.trustedOrigins, ['https://app.example']);
    });

    for (const [what, options, message] of [
        ['no carrier', { carriers: [] }, /options\.carriers needs at least one carrier/],
        ['an unknown carrier', { carriers: ['body', 'localStorage'] }, /unknown carrier 'localStorage'/],
        ['a carrier twice', { carriers: ['body', 'body'] }, /lists a carrier twice/],
        ['SameSite=None without secure', { httpCookie: { sameSite: 'None', secure: false } }, /sameSite None needs secure/],
        ['another SameSite', { httpCookie: { sameSite: 'lax' } }, /sameSite must be/],
        ['a path that ends the attribute', { httpCookie: { path: '/; Domain=evil.example' } }, /path must start with \//],
        ['a relative path', { httpCookie: { path: 'api' } }, /path must start with \//],
        ['a domain with a space', { httpCookie: { domain: 'a b' } }, /domain must be/],
        ['a trusted origin with a path', { httpCookie: { trustedOrigins: ['https://app.example/page'] } }, /'https:\/\/app\.example\/page' is not an origin/],
        ['an exchange path with a leading slash', { httpCookie: { exchangePath: '/__session' } }, /exchangePath must be a relative path/],
        ['an exchange path with a query', { httpCookie: { exchangePath: 'x?y' } }, /exchangePath/],
        ['a header name with a space', { sessionHeader: 'x session' }, /sessionHeader 'x session' is not a usable header name/],
        ['an empty header name', { sessionHeader: '' }, /sessionHeader/],
        ['the Cookie header', { sessionHeader: 'Cookie' }, /sessionHeader 'Cookie'/],
        ['a domain on a Secure (__Host-) cookie', { carriers: ['httpCookie'], httpCookie: { domain: 'shop.example' } }, /options\.httpCookie\.domain cannot be set: a Secure session cookie is named __Host-sid/],
        ['a path other than / on a Secure (__Host-) cookie', { carriers: ['httpCookie', 'body'], httpCookie: { path: '/api/' } }, /options\.httpCookie\.path must be '\/': a Secure session cookie is named __Host-sid/],
        ['a __Host- name on a cookie that is not Secure', { carriers: ['httpCookie'], cookieName: '__Host-sid', httpCookie: { secure: false } }, /options\.cookieName '__Host-sid' has a prefix browsers accept only on a Secure cookie/],
    ] as [string, Partial<SessionOptions>, RegExp][]) {
        it(`refuses ${what} at registration`, () => {
            assert.throws(() => register({ secrets: TEST_SECRETS, ...options }), (e: unknown) => e instanceof TypeError && /^tsrpc-session: /.test(e.message) && message.test(e.message));
        });
    }
});

for (const transport of TRANSPORTS) {
    describe(`session cookie lifetime and creation options over ${transport}`, () => {
        let env: SessionTestServer | undefined;
        afterEach(async () => { await env?.stop(); env = undefined; });

        const sidUpdate = async (req: { key: string; value?: unknown }, sid?: string) => {
            const { client } = await env!.client(null);
            const ret = req.value === undefined
                ? await client.callApi('SessionGet', { key: req.key, ...(sid && { __cookie: { sid } }) })
                : await client.callApi('SessionSet', { key: req.key, value: req.value, ...(sid && { __cookie: { sid } }) });
            assert.ok(ret.isSucc);
            return ret.res.__cookie?.sid;
        };

        it('by default the cookie lives until the absolute timeout and is not re-sent on writes', async () => {
            env = await startSessionServer(transport, { idleTimeoutMs: 5 * MINUTE, absoluteTimeoutMs: 60 * MINUTE });
            const created = (await sidUpdate({ key: 'k', value: 1 }))!;
            assert.ok(created.maxAgeMs! > 59 * MINUTE && created.maxAgeMs! <= 60 * MINUTE);
            assert.strictEqual(await sidUpdate({ key: 'k', value: 2 }, created.value!), undefined);
        });

        it('rolling: the cookie is re-sent with the idle lifetime on every write and touch', async () => {
            env = await startSessionServer(transport, { idleTimeoutMs: 5 * MINUTE, absoluteTimeoutMs: 60 * MINUTE, touchAfterMs: 0, rolling: true });
            const created = (await sidUpdate({ key: 'k', value: 1 }))!;
            assert.ok(created.maxAgeMs! > 4 * MINUTE && created.maxAgeMs! <= 5 * MINUTE);
            const onWrite = await sidUpdate({ key: 'k', value: 2 }, created.value!);
            assert.deepStrictEqual(onWrite?.value, created.value);
            assert.ok(onWrite!.maxAgeMs! > 4 * MINUTE && onWrite!.maxAgeMs! <= 5 * MINUTE);
            const onTouch = await sidUpdate({ key: 'k' }, created.value!);
            assert.deepStrictEqual(onTouch?.value, created.value);
        });

        it('saveUninitialized: even a call that writes nothing gets a stored session', async () => {
            env = await startSessionServer(transport, { saveUninitialized: true });
            const { client, jar } = await env.client();
            await client.callApi('Ping', {});
            assert.match((await jar!.get('sid'))!, /^[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{43}$/);
            assert.strictEqual(env.store.counts.create, 1);
            const ret = await client.callApi('SessionGetAll', {});
            assert.ok(ret.isSucc && ret.res.id !== undefined);
            assert.strictEqual(env.store.counts.create, 1, 'the next call uses that session');
        });
    });
}
