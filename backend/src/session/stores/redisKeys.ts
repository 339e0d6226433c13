import { tagOfKey, userTag } from './sessionTags';

/**
 * Where RedisStore keeps a session's hash and a user's set. Every script gets one prefix and
 * derives every name it touches from it (`<prefix>s:<key>`, `<prefix>u:<userId>`), so a script
 * stays in one Redis Cluster slot exactly when that prefix holds a hash tag.
 */
export interface RedisKeyLayout {
    /** True when a user's sessions must carry the user's tag (see sessionTags.ts). */
    readonly placesByUser: boolean;
    /** The prefix of the session under `key`. */
    ofKey(key: string): string;
    /** The prefixes that may hold `userId`'s sessions: the user's own first (where new ones go). */
    ofUser(userId: string): string[];
}

const HASH_TAG = /\{[^}]+\}/;

export function hasHashTag(prefix: string): boolean {
    return HASH_TAG.test(prefix);
}

/**
 * One prefix for everything: a single server, or a cluster with a hash tag in the prefix (all
 * sessions in one slot, the layout of 0.2 and earlier).
 */
export function singleLayout(prefix: string): RedisKeyLayout {
    return { placesByUser: false, ofKey: () => prefix, ofUser: () => [prefix] };
}

/**
 * Sessions spread over a cluster's slots: a session and the set of its user share the slot of the
 * tag in its key (`<prefix>{<tag>}:s:<key>`, `<prefix>{<tag>}:u:<userId>`). A key without a tag
 * (an id minted before, a ticket's nonce) stays in `legacyPrefix`, the single-slot layout it was
 * written in, when one is given, and is otherwise its own tag.
 */
export function spreadLayout(prefix: string, legacyPrefix: string | undefined): RedisKeyLayout {
    const slot = (tag: string) => `${prefix}{${tag}}:`;
    return {
        placesByUser: true,
        ofKey(key) {
            const tag = tagOfKey(key);
            if (tag !== undefined) return slot(tag);
            return legacyPrefix ?? slot(key);
        },
        ofUser: userId => legacyPrefix === undefined ? [slot(userTag(userId))] : [slot(userTag(userId)), legacyPrefix],
    };
}

/** The layout for RedisStore's options; throws at construction for a combination that cannot work. */
export function redisKeyLayout(options: { prefix: string; legacyPrefix?: string; cluster: boolean }): RedisKeyLayout {
    const { prefix, legacyPrefix, cluster } = options;
    if (legacyPrefix !== undefined) {
        if (!cluster || hasHashTag(prefix)) throw new TypeError('tsrpc-session: RedisStore\'s `legacyPrefix` is for a cluster store that spreads sessions (a `cluster` client and a prefix without a hash tag)');
        if (!hasHashTag(legacyPrefix)) throw new TypeError(`tsrpc-session: RedisStore's \`legacyPrefix\` is the hash-tagged prefix sessions were written under, e.g. '{sess}:', got '${legacyPrefix}'`);
    }
    if (!cluster || hasHashTag(prefix)) return singleLayout(prefix);
    if (/[{}]/.test(prefix)) throw new TypeError(`tsrpc-session: RedisStore's prefix '${prefix}' has a brace but no hash tag`);
    return spreadLayout(prefix, legacyPrefix);
}
