import assert from 'assert';
import { HttpServer } from 'tsrpc';
import { defaultHttpCookieOptions, defaultSessionOptions, enableSession, SessionOptions } from 'tsrpc-session/server';
import { serviceProto } from '../protocols/serviceProto';
import { TEST_SECRETS } from '../helpers/sessionServer';
import { silentLogger } from '../helpers/transports';

const register = (options: Partial<SessionOptions>) =>
    enableSession(new HttpServer(serviceProto, { port: 0, logger: silentLogger }), { secrets: TEST_SECRETS, ...options });

describe('carrier options (issue 13)', () => {
    it('defaults: the body only, a Secure Lax cookie at /, the x-session-id header', () => {
        assert.deepStrictEqual(defaultSessionOptions.carriers, ['body']);
        assert.strictEqual(defaultSessionOptions.sessionHeader, 'x-session-id');
        assert.deepStrictEqual(defaultHttpCookieOptions, { secure: true, sameSite: 'Lax', path: '/', domain: undefined, trustedOrigins: [], exchangePath: '__session' });
        const { options } = register({ httpCookie: { secure: false }, sessionHeader: 'X-Token' });
        assert.deepStrictEqual(options.httpCookie, { ...defaultHttpCookieOptions, secure: false, name: 'sid' });
        assert.strictEqual(register({}).options.httpCookie.name, '__Host-sid', 'a Secure cookie takes the __Host- prefix');
        assert.strictEqual(register({ cookieName: 'app', carriers: ['httpCookie'] }).options.httpCookie.name, '__Host-app');
        assert.strictEqual(options.sessionHeader, 'x-token', 'header names are lower-cased, as Node reads them');
        assert.deepStrictEqual(register({ httpCookie: { trustedOrigins: ['https://App.Example:443'] } }).options.httpCookie.trustedOrigins, ['https://app.example']);
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
            assert.throws(() => register(options), (e: unknown) => e instanceof TypeError && /^tsrpc-session: /.test(e.message) && message.test(e.message));
        });
    }
});
