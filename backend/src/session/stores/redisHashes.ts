import { isLive } from './rules';
import { decodeData, encodeChanges, encodeData, metaOf, storedRecord, StoredMeta } from './storedFormat';
import { SessionChanges, SessionRecord } from './SessionStore';

/**
 * A session as RedisStore keeps it: one hash, its metadata in named fields and each data key in a
 * `d:`-prefixed field holding the value's JSON. The Lua scripts (redisScripts.ts) read and write
 * the same layout.
 */
const META_FIELDS = new Set(['v', 'createdAt', 'lastSeenAt', 'idleExpiresAt', 'absoluteExpiresAt', 'userId', 'label', 'idIssuedAt', 'successorKey']);
const DATA_PREFIX = 'd:';

/** A session hash as read: its metadata and its data fields as stored JSON text (decoded per read, so callers never share objects). */
export interface StoredSession {
    meta: StoredMeta;
    fields: [string, string][];
}

/** A session hash's name in its slot's prefix, as the Lua scripts derive it too. */
export function sessionHashIn(prefix: string, key: string): string {
    return `${prefix}s:${key}`;
}

/** The hash's fields and values, flat as HGETALL answers them; undefined for no session. */
export function storedSessionOf(flat: readonly string[]): StoredSession | undefined {
    const meta: Record<string, string> = {};
    const fields: [string, string][] = [];
    for (let i = 0; i < flat.length; i += 2) {
        const [name, value] = [flat[i], flat[i + 1]];
        if (name.startsWith(DATA_PREFIX)) fields.push([name.slice(DATA_PREFIX.length), value]);
        else if (META_FIELDS.has(name)) meta[name] = value;
    }
    if (meta.createdAt === undefined) return undefined;
    return { meta: decodeMeta(meta), fields };
}

/** The record as the plugin reads it: none past its expiry (Redis's clock and sweep are not ours; a cached copy's neither). */
export function recordOf(stored: StoredSession | undefined, now: number): SessionRecord | undefined {
    return stored && isLive(stored.meta, now) ? storedRecord(stored.meta, decodeData(stored.fields)) : undefined;
}

/** A new session's hash: its user (for the user's set) and its fields and values, flat as HSET takes them. */
export function hashOf(record: SessionRecord): { userId: string | undefined; pairs: string[] } {
    const meta = metaOf(record);
    const pairs: string[] = [];
    for (const [name, value] of Object.entries(meta)) pairs.push(name, String(value));
    for (const [field, json] of encodeData(record.data)) pairs.push(DATA_PREFIX + field, json);
    return { userId: meta.userId, pairs };
}

/** The script arguments of a write's changes: how many keys are set, their fields and JSON, then the keys unset. */
export function changeArgs(changes: SessionChanges): string[] {
    const { set, unset } = encodeChanges(changes);
    return [String(set.length), ...set.flat(), ...unset];
}

export function decodeMeta(meta: Record<string, string | null | undefined>): StoredMeta {
    const stored: StoredMeta = {
        v: Number(meta.v ?? 1),
        createdAt: Number(meta.createdAt),
        lastSeenAt: Number(meta.lastSeenAt),
        idleExpiresAt: Number(meta.idleExpiresAt),
        absoluteExpiresAt: Number(meta.absoluteExpiresAt),
    };
    if (typeof meta.userId === 'string') stored.userId = meta.userId;
    if (typeof meta.label === 'string') stored.label = meta.label;
    if (typeof meta.idIssuedAt === 'string') stored.idIssuedAt = Number(meta.idIssuedAt);
    if (typeof meta.successorKey === 'string') stored.successorKey = meta.successorKey;
    return stored;
}
