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

/**
 * The payload sealed before issue 24's fourth pass, still opened: a JSON object with short field
 * names. Written now only for a session the compact form cannot hold exactly (see encodePayload).
 */
interface Wire {
    i: string;
    c: number;
    l: number;
    e: number;
    a: number;
    u?: string;
    d: Record<string, unknown>;
}

/**
 * First byte of a compact payload. A JSON payload starts with `{`, so one byte tells them apart;
 * both are authenticated alike, and the seal's version byte (which clients read) stays as it was.
 */
const COMPACT = 0x01;
/** The id as the codec makes it: 16 random bytes, canonical base64url (the last character's 4 spare bits zero). */
const ID_BYTES = 16;
const COMPACT_ID = /^[A-Za-z0-9_-]{21}[AQgw]$/;
const CREATED_BYTES = 6;
/** The longest unsigned LEB128 of a safe integer. */
const MAX_VARINT_BYTES = 8;
/** The fixed part and three varints; the user's length varint is counted with it. */
const COMPACT_HEAD_MAX = 1 + ID_BYTES + CREATED_BYTES + 4 * MAX_VARINT_BYTES;

/**
 * The session's payload. Compact: `0x01 ‖ id (16 bytes) ‖ createdAt (uint48) ‖ lastSeenAt − createdAt
 * ‖ idleExpiresAt − lastSeenAt ‖ absoluteExpiresAt − createdAt ‖ user (length + 1, then its JSON;
 * 0 for none) ‖ data (JSON)`, the differences as unsigned LEB128: about 75 bytes fewer than the
 * JSON form for a session of one small key, so 100 fewer characters in every answer and request
 * that carries the seal. A session it cannot hold exactly (an id not made by the codec, a time
 * that is no whole, ordered millisecond count) is written as JSON instead.
 */
export function encodePayload(session: SealedSession): Buffer {
    return compactPayload(session) ?? jsonPayload(session);
}

function compactPayload(session: SealedSession): Buffer | undefined {
    const { record } = session;
    const { createdAt, lastSeenAt, idleExpiresAt, absoluteExpiresAt } = record;
    const seen = lastSeenAt - createdAt;
    const idle = idleExpiresAt - lastSeenAt;
    const absolute = absoluteExpiresAt - createdAt;
    if (!COMPACT_ID.test(session.id) || !isCount(createdAt) || createdAt >= 2 ** 48 || !isCount(seen) || !isCount(idle) || !isCount(absolute)) {
        return undefined;
    }
    const user = record.userId === undefined ? undefined : JSON.stringify(record.userId);
    const data = JSON.stringify(record.data);
    const userBytes = user === undefined ? 0 : Buffer.byteLength(user, 'utf8');
    const out = Buffer.allocUnsafe(COMPACT_HEAD_MAX + userBytes + Buffer.byteLength(data, 'utf8'));
    out[0] = COMPACT;
    out.write(session.id, 1, ID_BYTES, 'base64url');
    out.writeUIntBE(createdAt, 1 + ID_BYTES, CREATED_BYTES);
    let at = writeVarint(out, 1 + ID_BYTES + CREATED_BYTES, seen);
    at = writeVarint(out, at, idle);
    at = writeVarint(out, at, absolute);
    at = writeVarint(out, at, user === undefined ? 0 : userBytes + 1);
    if (user !== undefined) at += out.write(user, at, 'utf8');
    at += out.write(data, at, 'utf8');
    return out.subarray(0, at);
}

/** The Wire object as JSON, written directly: the times are finite numbers, the id and user id strings. */
function jsonPayload(session: SealedSession): Buffer {
    const { record } = session;
    const user = record.userId === undefined ? '' : `,"u":${JSON.stringify(record.userId)}`;
    return Buffer.from(
        `{"i":${JSON.stringify(session.id)},"c":${record.createdAt},"l":${record.lastSeenAt},"e":${record.idleExpiresAt},"a":${record.absoluteExpiresAt}${user},"d":${JSON.stringify(record.data)}}`,
        'utf8',
    );
}

/** The session a genuine seal holds, in either form; undefined for anything else (checked although the seal authenticated it). */
export function decodePayload(plain: Buffer, head: { lineage: Buffer; writes: number }): SealedSession | undefined {
    const wire = plain[0] === COMPACT ? fromCompact(plain) : fromJson(plain);
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

function fromJson(plain: Buffer): Partial<Wire> | null | undefined {
    try {
        return JSON.parse(plain.toString('utf8')) as Partial<Wire> | null;
    } catch {
        return undefined;
    }
}

/** The compact form read back into the Wire object's fields; undefined when it is cut short or its JSON is not. */
function fromCompact(plain: Buffer): Partial<Wire> | undefined {
    const fixed = 1 + ID_BYTES + CREATED_BYTES;
    if (plain.length < fixed) return undefined;
    const c = plain.readUIntBE(1 + ID_BYTES, CREATED_BYTES);
    const seen = readVarint(plain, fixed);
    const idle = seen && readVarint(plain, seen.next);
    const absolute = idle && readVarint(plain, idle.next);
    const user = absolute && readVarint(plain, absolute.next);
    if (!seen || !idle || !absolute || !user) return undefined;
    const userEnd = user.next + (user.value === 0 ? 0 : user.value - 1);
    if (userEnd > plain.length) return undefined;
    try {
        const wire: Partial<Wire> = {
            i: plain.toString('base64url', 1, 1 + ID_BYTES), c, l: c + seen.value, e: c + seen.value + idle.value, a: c + absolute.value,
            d: JSON.parse(plain.toString('utf8', userEnd)) as Record<string, unknown>,
        };
        if (user.value !== 0) wire.u = JSON.parse(plain.toString('utf8', user.next, userEnd)) as string;
        return wire;
    } catch {
        return undefined;
    }
}

/** A whole, non-negative millisecond count that fits a varint. */
function isCount(n: number): boolean {
    return Number.isSafeInteger(n) && n >= 0;
}

/** Unsigned LEB128 (7 bits a byte, low first), in arithmetic: the counts pass 2^32. Returns the offset after it. */
function writeVarint(out: Buffer, at: number, n: number): number {
    while (n >= 0x80) {
        out[at++] = (n % 0x80) | 0x80;
        n = Math.floor(n / 0x80);
    }
    out[at++] = n;
    return at;
}

function readVarint(plain: Buffer, at: number): { value: number; next: number } | undefined {
    let value = 0;
    for (let i = 0; i < MAX_VARINT_BYTES && at + i < plain.length; i++) {
        const byte = plain[at + i]!;
        value += (byte & 0x7f) * 2 ** (7 * i);
        if (byte < 0x80) return { value, next: at + i + 1 };
    }
    return undefined;
}
