import { SESSION_RECORD_VERSION, SessionRecord } from '../stores/SessionStore';

/** What a seal holds: the session's stable id, its write count, and its record (without a label). */
export interface SealedSession {
    /** The session id: the same in every seal of one session; what destroy and deny-lists name. */
    id: string;
    /** Writes so far: of two seals of one session, the one with more is the newer. */
    seq: number;
    record: SessionRecord;
}

/** Short field names: every byte counts against the cookie's 4 KB. */
interface Wire {
    i: string;
    q: number;
    c: number;
    l: number;
    e: number;
    a: number;
    u?: string;
    d: Record<string, unknown>;
}

export function encodePayload(session: SealedSession): Buffer {
    const { record } = session;
    const wire: Wire = {
        i: session.id, q: session.seq, c: record.createdAt, l: record.lastSeenAt, e: record.idleExpiresAt, a: record.absoluteExpiresAt,
        ...(record.userId !== undefined && { u: record.userId }),
        d: record.data,
    };
    return Buffer.from(JSON.stringify(wire), 'utf8');
}

/** The session a genuine seal holds; undefined for anything else (checked although the seal authenticated it). */
export function decodePayload(plain: Buffer): SealedSession | undefined {
    let wire: Partial<Wire> | null;
    try {
        wire = JSON.parse(plain.toString('utf8')) as Partial<Wire> | null;
    } catch {
        return undefined;
    }
    if (typeof wire !== 'object' || wire === null || typeof wire.i !== 'string' || wire.i.length === 0) return undefined;
    const times = [wire.q, wire.c, wire.l, wire.e, wire.a];
    if (!times.every(t => typeof t === 'number' && Number.isFinite(t))) return undefined;
    if (wire.u !== undefined && typeof wire.u !== 'string') return undefined;
    if (typeof wire.d !== 'object' || wire.d === null || Array.isArray(wire.d)) return undefined;
    const record: SessionRecord = {
        v: SESSION_RECORD_VERSION, data: wire.d, createdAt: wire.c!, lastSeenAt: wire.l!, idleExpiresAt: wire.e!, absoluteExpiresAt: wire.a!,
        ...(wire.u !== undefined && { userId: wire.u }),
    };
    return { id: wire.i, seq: wire.q!, record };
}
