/**
 * Encoding shared by every store that keeps values as text (memory, Redis, Mongo, the adapters),
 * so all of them round-trip values and compare them in compare-and-set exactly alike.
 */
import { SessionChanges, SessionRecord, SessionSummary, SessionTimes } from './SessionStore';

/** A value as stored: JSON text. Compare-and-set compares these strings, never re-parsed values. */
export function encodeValue(value: unknown): string {
    return JSON.stringify(value);
}

/** What compare-and-set expects to find: undefined means the field must be absent. */
export function encodeExpected(expected: unknown): string | undefined {
    return expected === undefined ? undefined : encodeValue(expected);
}

/**
 * Decodes stored fields into session data. Fields are defined as own properties, so a key such as
 * `__proto__` stays plain data and can never change the object's prototype.
 */
export function decodeData(fields: Iterable<[string, string]>): Record<string, unknown> {
    // `new Object()`, not `{}`: no allocation site to tenure (see storedRecord).
    const data = new Object() as Record<string, unknown>;
    for (const [field, json] of fields) {
        // Plain assignment is the fast path; only `__proto__` would reach the prototype through it.
        if (field === '__proto__') Object.defineProperty(data, field, { value: JSON.parse(json), enumerable: true, writable: true, configurable: true });
        else data[field] = JSON.parse(json);
    }
    return data;
}

/** The changes as stored text; a `set` to undefined is an unset, as in MemoryStore. */
export function encodeChanges(changes: SessionChanges): { set: [string, string][]; unset: string[] } {
    const set: [string, string][] = [];
    const unset = [...changes.unset];
    for (const [field, value] of Object.entries(changes.set)) {
        if (value === undefined) unset.push(field);
        else set.push([field, encodeValue(value)]);
    }
    return { set, unset };
}

/** The record's data as stored text, undefined values left out. */
export function encodeData(data: Record<string, unknown>): [string, string][] {
    return Object.entries(data).filter(([, value]) => value !== undefined).map(([field, value]) => [field, encodeValue(value)]);
}

/** When the store may forget the record: whichever timeout comes first. */
export function expiresAt(times: Pick<SessionTimes, 'idleExpiresAt' | 'absoluteExpiresAt'>): number {
    return Math.min(times.idleExpiresAt, times.absoluteExpiresAt);
}

/** The record's metadata: everything but the data, as every store keeps it beside the data. */
export type StoredMeta = Omit<SessionRecord, 'data'>;

/**
 * The optional fields are copied only when present, so stores never write `undefined`. Field by
 * field, with no spread or temporary object: every session read makes one (through `storedRecord`).
 */
export function metaOf(record: StoredMeta): StoredMeta {
    const meta: StoredMeta = {
        v: record.v,
        createdAt: record.createdAt,
        lastSeenAt: record.lastSeenAt,
        idleExpiresAt: record.idleExpiresAt,
        absoluteExpiresAt: record.absoluteExpiresAt,
    };
    return withOptionalMeta(meta, record);
}

/**
 * A record as the store holds it, in the version it was written in (the plugin upgrades older
 * ones). Made by `new`, not from an object literal: V8 tenures a literal's objects once enough of
 * them outlive a young-generation collection (allocation-site pretenuring), and per-call records
 * then cost an old-space allocation each and a share of every major collection (the line was 0.4 µs
 * of a memory read). Its prototype is Object's: to any comparison it is a plain object.
 */
export function storedRecord(meta: StoredMeta, data: Record<string, unknown>): SessionRecord {
    return withOptionalMeta(new PlainRecord(meta, data), meta);
}

interface PlainRecordConstructor {
    new (meta: StoredMeta, data: Record<string, unknown>): SessionRecord;
}

// A function, not a class: a class's prototype cannot be Object's.
const PlainRecord = function (this: SessionRecord, meta: StoredMeta, data: Record<string, unknown>) {
    this.v = meta.v;
    this.createdAt = meta.createdAt;
    this.lastSeenAt = meta.lastSeenAt;
    this.idleExpiresAt = meta.idleExpiresAt;
    this.absoluteExpiresAt = meta.absoluteExpiresAt;
    this.data = data;
} as unknown as PlainRecordConstructor;
PlainRecord.prototype = Object.prototype;

function withOptionalMeta<T extends StoredMeta>(target: T, meta: StoredMeta): T {
    if (meta.userId !== undefined) target.userId = meta.userId;
    if (meta.label !== undefined) target.label = meta.label;
    if (meta.idIssuedAt !== undefined) target.idIssuedAt = meta.idIssuedAt;
    if (meta.successorKey !== undefined) target.successorKey = meta.successorKey;
    return target;
}

export function summaryOf(key: string, meta: StoredMeta): SessionSummary {
    const summary: SessionSummary = { key, ...pickTimes(meta) };
    if (meta.label !== undefined) summary.label = meta.label;
    return summary;
}

export function pickTimes(times: SessionTimes): SessionTimes {
    return {
        createdAt: times.createdAt,
        lastSeenAt: times.lastSeenAt,
        idleExpiresAt: times.idleExpiresAt,
        absoluteExpiresAt: times.absoluteExpiresAt,
    };
}

/** What changed in a write: data fields set (as JSON text) and unset. */
export interface FieldChanges {
    set: [string, string][];
    unset: string[];
}

/** Applies the changes to a record's fields (JSON text by field); returns them as written. */
export function applyChanges(fields: Map<string, string>, changes: SessionChanges): FieldChanges {
    const encoded = encodeChanges(changes);
    for (const [field, json] of encoded.set) fields.set(field, json);
    for (const field of encoded.unset) fields.delete(field);
    return encoded;
}

/** The metadata of a renewal's successor: the record's, its id issued at `now`. */
export function successorMeta(meta: StoredMeta, now: number): StoredMeta {
    const successor = metaOf(meta);
    delete successor.successorKey;
    successor.idIssuedAt = now;
    return successor;
}
