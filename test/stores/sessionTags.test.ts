import assert from 'assert';
import { createHash, randomBytes } from 'crypto';
import { SessionIdCodec } from '../../backend/src/session/core/SessionIdCodec';
import { redisKeyLayout } from '../../backend/src/session/stores/redisKeys';
import { keySlot } from '../../backend/src/session/stores/redisShardedChannel';
import { taggedId, tagOfId, tagOfKey, userTag } from '../../backend/src/session/stores/sessionTags';
import { TEST_SECRETS } from '../helpers/sessionServer';

describe('slot tags: ids and keys that say where a session lives on a cluster', () => {
    const codec = new SessionIdCodec(TEST_SECRETS);

    it('a tagged id is 43 base64url characters, its tag first, 234 random bits, a final "-"; its key is <tag>.<SHA-256 of the id>', () => {
        const tag = userTag('alice');
        const ids = new Set(Array.from({ length: 1000 }, () => taggedId(tag)));
        assert.strictEqual(ids.size, 1000);
        for (const id of ids) {
            assert.match(id, /^[A-Za-z0-9_-]{42}-$/);
            assert.strictEqual(tagOfId(id), tag);
            assert.strictEqual(codec.storeKey(id), `${tag}.${createHash('sha256').update(id).digest('base64url')}`);
            assert.strictEqual(tagOfKey(codec.storeKey(id)), tag);
            assert.deepStrictEqual(codec.verify(codec.sign(id)), { id, signedWithCurrentSecret: true });
        }
        assert.notStrictEqual(tagOfId(taggedId()), undefined, 'an anonymous session gets a random tag');
    });

    it('an id minted the old way never reads as tagged, and keeps its bare SHA-256 key', () => {
        for (let i = 0; i < 10_000; i++) {
            const id = randomBytes(32).toString('base64url');
            assert.strictEqual(tagOfId(id), undefined);
            assert.strictEqual(tagOfKey(codec.storeKey(id)), undefined);
        }
        const id = codec.newId();
        assert.strictEqual(codec.storeKey(id), createHash('sha256').update(id).digest('base64url'));
    });

    it('a user\'s tag is stable and 3 characters; the cluster slot follows keySlot (CRC16 of the hash tag)', () => {
        assert.strictEqual(userTag('alice'), userTag('alice'));
        assert.match(userTag('bob'), /^[A-Za-z0-9_-]{3}$/);
        // Values from CLUSTER KEYSLOT on Redis 7.
        assert.strictEqual(keySlot('foo'), 12182);
        assert.strictEqual(keySlot('{user1000}.following'), keySlot('user1000'));
        assert.strictEqual(keySlot('123456789'), 0x31c3 % 16384);
    });

    it('layouts: a cluster without a hash tag spreads by tag; a hash-tagged prefix or a single server keeps one prefix; misuse fails at construction', () => {
        const spread = redisKeyLayout({ prefix: 'app:', cluster: true, legacyPrefix: '{sess}:' });
        const key = `${userTag('alice')}.${'h'.repeat(43)}`;
        assert.strictEqual(spread.placesByUser, true);
        assert.strictEqual(spread.ofKey(key), `app:{${userTag('alice')}}:`);
        assert.deepStrictEqual(spread.ofUser('alice'), [`app:{${userTag('alice')}}:`, '{sess}:']);
        assert.strictEqual(spread.ofKey('h'.repeat(43)), '{sess}:', 'a key without a tag stays in the legacy layout');
        assert.strictEqual(redisKeyLayout({ prefix: 'app:', cluster: true }).ofKey('h'.repeat(43)), `app:{${'h'.repeat(43)}}:`);
        for (const options of [{ prefix: '{sess}:', cluster: true }, { prefix: 'app:', cluster: false }]) {
            const single = redisKeyLayout(options);
            assert.strictEqual(single.placesByUser, false);
            assert.strictEqual(single.ofKey(key), options.prefix);
        }
        assert.throws(() => redisKeyLayout({ prefix: 'app:', cluster: false, legacyPrefix: '{sess}:' }), /legacyPrefix/);
        assert.throws(() => redisKeyLayout({ prefix: 'app:', cluster: true, legacyPrefix: 'sess:' }), /hash-tagged/);
        assert.throws(() => redisKeyLayout({ prefix: 'a{b:', cluster: true }), /brace/);
    });
});
