import assert from 'assert';
import { createHmac, randomBytes } from 'crypto';
import { SessionIdCodec } from '../../backend/src/session/core/SessionIdCodec';

/** HMAC-SHA256 as Node computes it: what every signature must equal, whatever the codec does inside. */
function referenceSignature(secret: string, id: string): string {
    return createHmac('sha256', Buffer.from(secret, 'utf8')).update(id).digest('base64url');
}

describe('SessionIdCodec', () => {
    // Keys shorter than, equal to and longer than SHA-256's 64-byte block (hashed first), and multi-byte UTF-8.
    const secrets = [
        'a'.repeat(32),
        'b'.repeat(63),
        'c'.repeat(64),
        'd'.repeat(65),
        'e'.repeat(200),
        `${'ü'.repeat(20)}-secret-with-multibyte-utf8`,
        randomBytes(48).toString('base64'),
    ];

    it('signs ids with HMAC-SHA256 of the first secret, for secrets of any length', () => {
        for (const secret of secrets) {
            const codec = new SessionIdCodec([secret]);
            for (let i = 0; i < 20; i++) {
                const id = codec.newId();
                assert.strictEqual(codec.sign(id), `${id}.${referenceSignature(secret, id)}`, `secret of ${secret.length} characters`);
            }
        }
    });

    it('verifies a cookie signed by any secret of the list, and says whether it was the current one', () => {
        const codec = new SessionIdCodec(secrets);
        for (const [i, secret] of secrets.entries()) {
            const id = codec.newId();
            assert.deepStrictEqual(codec.verify(`${id}.${referenceSignature(secret, id)}`), { id, signedWithCurrentSecret: i === 0 });
        }
    });

    it('rejects a signature made with a secret not in the list, or of another id', () => {
        const codec = new SessionIdCodec(secrets.slice(0, 3));
        const id = codec.newId();
        assert.strictEqual(codec.verify(`${id}.${referenceSignature(secrets[3], id)}`), undefined);
        assert.strictEqual(codec.verify(`${id}.${referenceSignature(secrets[0], codec.newId())}`), undefined);
        // A rejected cookie leaves nothing behind: the genuine one still verifies afterwards.
        assert.ok(codec.verify(codec.sign(id)));
        assert.strictEqual(codec.verify(`${id}.${'B'.repeat(43)}`), undefined);
    });
});
