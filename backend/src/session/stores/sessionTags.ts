import { createHash, randomBytes } from 'crypto';

/**
 * Slot tags: how a store that spreads sessions over shards (RedisStore on a cluster) keeps each
 * user's sessions together, with the shard a request needs readable from its own id.
 *
 * A tagged id is 43 base64url characters like any session id: a 3-character tag, 39 random
 * characters (234 bits) and a final `-`. An id minted the old way (32 random bytes) can never end
 * in `-`: the last character of 32 bytes in base64url carries 4 bits and two zero bits, so it is one
 * of `AEIMQUYcgkosw048`. Its store key is `<tag>.<SHA-256 of the id>`; an old id's stays the bare
 * SHA-256, so every session written before keeps its key.
 *
 * A user's sessions carry the user's tag (`userTag`), an anonymous session a random one. The tag
 * says nothing useful about the user: 18 bits of a hash, shared by 1 in 262,144 of all user ids.
 */

export const TAG_LENGTH = 3;
const ID_LENGTH = 43;
const TAGGED_ID_END = '-';

/** The tag of every session of `userId`. */
export function userTag(userId: string): string {
    return createHash('sha256').update(userId).digest('base64url').slice(0, TAG_LENGTH);
}

/** A new id carrying `tag` (a random tag when none is given). */
export function taggedId(tag?: string): string {
    // 43 characters: the tag's 3 (random ones without a tag), 39 more, then the mark.
    const random = randomBytes(32).toString('base64url');
    return (tag ?? random.slice(0, TAG_LENGTH)) + random.slice(TAG_LENGTH, ID_LENGTH - 1) + TAGGED_ID_END;
}

/** The tag an id carries; undefined for an id minted the old way. */
export function tagOfId(id: string): string | undefined {
    return id.length === ID_LENGTH && id.endsWith(TAGGED_ID_END) ? id.slice(0, TAG_LENGTH) : undefined;
}

/** The store key of a tagged id: its tag, a dot (never in base64url), the id's hash. */
export function taggedKey(tag: string, hash: string): string {
    return `${tag}.${hash}`;
}

/** The tag a store key carries; undefined for the key of an old id or of anything else (a ticket). */
export function tagOfKey(key: string): string | undefined {
    return key.length > TAG_LENGTH && key[TAG_LENGTH] === '.' ? key.slice(0, TAG_LENGTH) : undefined;
}
