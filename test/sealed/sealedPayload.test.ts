import assert from 'assert';
import { randomBytes } from 'crypto';
import { decodePayload, encodePayload, sealedSession } from '../../backend/src/session/sealed/sealedPayload';
import { SealedCodec } from '../../backend/src/session/sealed/SealedCodec';
import { sessionMode } from '../../backend/src/session/sealed/sessionMode';
import { SESSION_RECORD_VERSION, SessionRecord } from '../../backend/src/session/stores/SessionStore';
import { TEST_SECRETS } from '../helpers/sessionServer';
import { TestClock } from '../helpers/testClock';
import { forgeSeal, sessionPayload } from './sealedServers';

const MINUTE = 60_000;
const head = { lineage: randomBytes(8), writes: 3 };

function record(now: number, data: Record<string, unknown>, userId?: string): SessionRecord {
    return {
        v: SESSION_RECORD_VERSION, data, createdAt: now - 5 * MINUTE, lastSeenAt: now, idleExpiresAt: now + 30 * MINUTE, absoluteExpiresAt: now + 55 * MINUTE,
        ...(userId !== undefined && { userId }),
    };
}

describe('sealed payload: compact form, previous form still opened (issue 24)', () => {
    it('holds what the JSON form held, in the compact form: ids, times to the ms, user ids and data of any characters', () => {
        const now = Date.now();
        const id = randomBytes(16).toString('base64url');
        for (const userId of [undefined, '', 'alice', 'é\u2028"\\\ud800x', 'u'.repeat(300)]) {
            const session = sealedSession(id, head.lineage, head.writes, record(now, { theme: 'dark', n: 1.5, list: [null, { 'ü': '\u0000' }] }, userId));
            const plain = encodePayload(session);
            assert.strictEqual(plain[0], 0x01, 'compact');
            assert.deepStrictEqual(decodePayload(plain, head), session);
        }
    });

    it('writes a session the compact form cannot hold exactly (times not whole ms, an id not the codec\'s) as JSON, which opens alike', () => {
        const now = Date.now() + 0.5;
        for (const [id, at] of [[randomBytes(16).toString('base64url'), now], ['not-a-codec-id', Date.now()], [randomBytes(16).toString('base64url').slice(0, -1) + 'B', Date.now()]] as const) {
            const session = sealedSession(id, head.lineage, head.writes, record(at, { k: 'v' }, 'bob'));
            const plain = encodePayload(session);
            assert.strictEqual(String.fromCharCode(plain[0]!), '{');
            assert.deepStrictEqual(decodePayload(plain, head), session);
        }
    });

    it('a seal of the previous (JSON) form opens, and the session\'s next write answers a compact seal 100 characters shorter: sessions survive the upgrade', async () => {
        const clock = new TestClock();
        const { resolved, codec } = sessionMode({ secrets: TEST_SECRETS, now: clock.now, sealed: {} });
        const sealed = codec as SealedCodec;
        const id = randomBytes(16).toString('base64url');
        const previous = forgeSeal(TEST_SECRETS[0], sessionPayload(clock.now(), { benchValue: 'v123456' }, id));
        const verified = sealed.verify(previous);
        assert.strictEqual(verified?.id, id);
        const key = sealed.storeKey(id);
        assert.deepStrictEqual(resolved.store.loadCached!(key, clock.now())?.data, { benchValue: 'v123456' });
        const now = clock.now();
        assert.strictEqual(resolved.store.updateNow!(key, { set: { benchValue: 'v123457' }, unset: [] }, { now, lastSeenAt: now, idleExpiresAt: now + 30 * MINUTE }), true);
        const next = sealed.sign(id);
        assert.ok(next.length <= previous.length - 100, `${next.length} characters against ${previous.length}`);
        // Another server with the same secrets opens it: the same session, the new state.
        const other = sessionMode({ secrets: TEST_SECRETS, now: clock.now, sealed: {} });
        assert.strictEqual(other.codec.verify(next)?.id, id);
        assert.deepStrictEqual(other.resolved.store.loadCached!(other.codec.storeKey(id), clock.now())?.data, { benchValue: 'v123457' });
    });
});
