import assert from 'assert';
import { HttpServer } from 'tsrpc';
import { defaultSessionOptions, enableSession, MemoryStore, SessionOptions, SessionStore } from 'tsrpc-session/server';
import { serviceProto } from '../protocols/serviceProto';
import { TEST_SECRETS } from '../helpers/sessionServer';
import { silentLogger } from '../helpers/transports';

describe('options are checked at registration', () => {
    // Typed loosely on purpose: JavaScript callers reach the run-time checks the types would stop.
    const register = (options: Partial<SessionOptions>) => enableSession(new HttpServer(serviceProto, { logger: silentLogger }), options as SessionOptions);

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

    it('fills every unset option from the frozen defaults', () => {
        const { options } = register({ secrets: TEST_SECRETS });
        assert.ok(Object.isFrozen(defaultSessionOptions));
        assert.ok(options.store instanceof MemoryStore);
        for (const [name, value] of Object.entries(defaultSessionOptions)) {
            // The resolved cookie options add the HTTP cookie's derived name.
            const expected = name === 'httpCookie' ? { ...(value as object), name: '__Host-sid' } : value;
            assert.deepStrictEqual(options[name as keyof typeof defaultSessionOptions], expected, name);
        }
        assert.strictEqual(options.anonymousIdleTimeoutMs, options.idleTimeoutMs, 'anonymous sessions default to the idle timeout');
    });

    it('lets an explicit undefined fall back to the default', () => {
        const { options } = register({ secrets: TEST_SECRETS, cookieName: undefined });
        assert.strictEqual(options.cookieName, 'sid');
    });
});
