import { SESSION_RECORD_VERSION, SessionRecord } from '../stores/SessionStore';

/** What a seal holds: the session's stable id, its head (lineage, write count) and its record (without a label). */
export interface SealedSession {
    /** The session id: the same in every seal of one session; what destroy and deny-lists name. */
    id: string;
    /** Random per session, in the seal's clear head: lets a client tell this session's seals from another's. */
    lineage: Buffer;
    /** Writes so far, in the seal's clear head: of two seals of one session, the one with more is the newer. */
    seq: number;
    record: SessionRecord;
}

/**
 * Made by `new`, not from an object literal: each write's session stays in the records table until
 * the next write, long enough to outlive young collections, and V8 would then tenure the
 * literal's allocation site (stores/storedFormat.ts, `storedRecord`, says more).
 */
class SealedSessionState implements SealedSession {
    constructor(readonly id: string, readonly lineage: Buffer, readonly seq: number, readonly record: SessionRecord) {}
}

export function sealedSession(id: string, lineage: Buffer, seq: number, record: SessionRecord): SealedSession {
    return new SealedSessionState(id, lineage, seq, record);
}

/** Short field names: every byte counts against the cookie's 4 KB. The write count is in the head. */
interface Wire {
    i: string;
    c: number;
    l: number;
    e: number;
    a: number;
    u?: string;
    d: Record<string, unknown>;
}

/** The Wire object as JSON, written directly: the times are finite numbers, the id and user id strings. */
export function encodePayload(session: SealedSession): Buffer {
    const { record } = session;
    const user = record.userId === undefined ? '' : `,"u":${JSON.stringify(record.userId)}`;
    return Buffer.from(
        `{"i":${JSON.stringify(session.id)},"c":${record.createdAt},"l":${record.lastSeenAt},"e":${record.idleExpiresAt},"a":${record.absoluteExpiresAt}${user},"d":${JSON.stringify(record.data)}}`,
        'utf8',
    );
}

/** The session a genuine seal holds; undefined for anything else (checked although the seal authenticated it). */
export function decodePayload(plain: Buffer, head: { lineage: Buffer; writes: number }): SealedSession | undefined {
    let wire: Partial<Wire> | null;
    try {
        wire = JSON.parse(plain.toString('utf8')) as Partial<Wire> | null;
    } catch {
        return undefined;
    }
    if (typeof wire !== 'object' || wire === null || typeof wire.i !== 'string' || wire.i.length === 0) return undefined;
    const times = [wire.c, wire.l, wire.e, wire.a];
    if (!times.every(t => typeof t === 'number' && Number.isFinite(t))) return undefined;
    if (wire.u !== undefined && typeof wire.u !== 'string') return undefined;
    if (typeof wire.d !== 'object' || wire.d === null || Array.isArray(wire.d)) return undefined;
    const record: SessionRecord = {
        v: SESSION_RECORD_VERSION, data: wire.d, createdAt: wire.c!, lastSeenAt: wire.l!, idleExpiresAt: wire.e!, absoluteExpiresAt: wire.a!,
        ...(wire.u !== undefined && { userId: wire.u }),
    };
    return sealedSession(wire.i, head.lineage, head.writes, record);
}
