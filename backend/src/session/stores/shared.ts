/**
 * Encoding shared by every store that keeps values as text (memory, Redis, Mongo, the adapters),
 * so all of them round-trip values and compare them in compare-and-set exactly alike.
 */
import { SESSION_RECORD_VERSION, SessionChanges, SessionRecord, SessionSummary, SessionTimes } from './SessionStore';

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
    const data: Record<string, unknown> = {};
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

/** The record's metadata, as the text-keeping stores write it beside the data. */
export interface StoredMeta extends SessionTimes {
    v: number;
    userId?: string;
    label?: string;
}

export function metaOf(record: SessionRecord): StoredMeta {
    const meta: StoredMeta = { v: record.v, ...pickTimes(record) };
    if (record.userId !== undefined) meta.userId = record.userId;
    if (record.label !== undefined) meta.label = record.label;
    return meta;
}

export function recordOf(meta: StoredMeta, data: Record<string, unknown>): SessionRecord {
    const record: SessionRecord = { v: SESSION_RECORD_VERSION, data, ...pickTimes(meta) };
    if (meta.userId !== undefined) record.userId = meta.userId;
    if (meta.label !== undefined) record.label = meta.label;
    return record;
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
