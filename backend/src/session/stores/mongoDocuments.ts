import { Filter, UpdateFilter } from 'mongodb';
import { decodeData, encodeChanges, encodeData, metaOf, storedRecord, StoredMeta } from './storedFormat';
import { SessionActivity, SessionChanges, SessionRecord } from './SessionStore';

/**
 * A session as MongoStore keeps it: one document, its data per key in the sub-document `data`
 * (escaped field name → the value's JSON text), its expiry times as Dates for the TTL index; and
 * the filters and updates the store writes it with (MongoStore.ts says why each is shaped so).
 */
export interface SessionDocument {
    _id: string;
    v: number;
    /** Escaped field name → JSON text. */
    data: Record<string, string>;
    createdAt: number;
    lastSeenAt: number;
    idleExpiresAt: Date;
    absoluteExpiresAt: Date;
    userId?: string;
    label?: string;
    idIssuedAt?: number;
    successorKey?: string;
}

/** A new session's document. */
export function documentOf(key: string, record: SessionRecord): SessionDocument {
    const meta = metaOf(record);
    return {
        _id: key,
        ...meta,
        data: Object.fromEntries(encodeData(record.data).map(([field, json]) => [escapeField(field), json])),
        idleExpiresAt: new Date(meta.idleExpiresAt),
        absoluteExpiresAt: new Date(meta.absoluteExpiresAt),
    };
}

/** The record a document holds, its data decoded afresh. */
export function recordOfDocument(doc: SessionDocument): SessionRecord {
    return storedRecord(metaOfDocument(doc), decodeData(Object.entries(doc.data ?? {}).map(([name, json]) => [unescapeField(name), json])));
}

/** `isLive` of ./rules as a filter. */
export function liveAt(now: number): Filter<SessionDocument> {
    return { idleExpiresAt: { $gt: new Date(now) }, absoluteExpiresAt: { $gt: new Date(now) } };
}

export function live(key: string, now: number): Filter<SessionDocument> {
    return { _id: key, ...liveAt(now) };
}

/** Per-field `$set` / `$unset` on `data.<escaped field>`. */
export function dataUpdate(changes: SessionChanges): { $set: Record<string, unknown>; $unset: Record<string, ''> } {
    const { set, unset } = encodeChanges(changes);
    const $set: Record<string, unknown> = {};
    const $unset: Record<string, ''> = {};
    for (const field of unset) $unset[`data.${escapeField(field)}`] = '';
    for (const [field, json] of set) if (!(`data.${escapeField(field)}` in $unset)) $set[`data.${escapeField(field)}`] = json;
    return { $set, $unset };
}

/**
 * Adds what every write records: activity, and the user index field when the activity names one.
 * `applyActivity` of ./rules as an update document; the anonymous idle expiry of a write that does
 * not name the user needs the stored user, so `#anonymousExpiry` applies it in a second step.
 */
export function withActivity($set: Record<string, unknown>, $unset: Record<string, ''>, activity: SessionActivity): UpdateFilter<SessionDocument> {
    $set.lastSeenAt = activity.lastSeenAt;
    // Removing the user starts the anonymous idle timeout at once; naming one gives the user's.
    $set.idleExpiresAt = new Date(activity.userId === null ? activity.anonymousIdleExpiresAt ?? activity.idleExpiresAt : activity.idleExpiresAt);
    if (activity.userId === null) $unset.userId = '';
    else if (activity.userId !== undefined) $set.userId = activity.userId;
    // Older servers refuse an empty $unset.
    return Object.keys($unset).length > 0 ? { $set, $unset } : { $set };
}

export function metaOfDocument(doc: SessionDocument): StoredMeta {
    const meta: StoredMeta = {
        v: doc.v,
        createdAt: doc.createdAt,
        lastSeenAt: doc.lastSeenAt,
        idleExpiresAt: doc.idleExpiresAt.getTime(),
        absoluteExpiresAt: doc.absoluteExpiresAt.getTime(),
    };
    if (doc.userId !== undefined) meta.userId = doc.userId;
    if (doc.label !== undefined) meta.label = doc.label;
    if (doc.idIssuedAt !== undefined) meta.idIssuedAt = doc.idIssuedAt;
    if (doc.successorKey !== undefined) meta.successorKey = doc.successorKey;
    return meta;
}

export function escapeField(field: string): string {
    if (field === '') return '%';
    return field.replace(/%/g, '%25').replace(/\./g, '%2E').replace(/^\$/, '%24');
}

export function unescapeField(name: string): string {
    if (name === '%') return '';
    return name.replace(/%(25|2E|24)/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}
