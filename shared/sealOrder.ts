/**
 * The clear, authenticated head of a sealed session (issue 24): `version ‖ lineage ‖ writes`, the
 * first 15 bytes (20 base64url characters) of every seal. The server binds it into the AEAD's
 * associated data, so it cannot be changed without the seal failing to open; a client reads it
 * without any key, to keep the newest seal of a session when parallel replies arrive out of order.
 */
export const SEAL_VERSION = 0x02;
/** Random per session, the same in all its seals: tells a newer seal of one session from another session's. */
export const SEAL_LINEAGE_BYTES = 8;
/** The session's write count, big-endian: 2^48 writes before it would wrap. */
export const SEAL_WRITES_BYTES = 6;
export const SEAL_HEAD_BYTES = 1 + SEAL_LINEAGE_BYTES + SEAL_WRITES_BYTES;
/** 15 bytes are exactly 20 base64url characters, and version ‖ lineage exactly the first 12. */
const HEAD_CHARS = 20;
export const LINEAGE_CHARS = 12;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

export interface SealOrder {
    /** The session's identity in the clear: version and lineage, as base64url. */
    lineage: string;
    /** How many writes the seal's state has had: of two seals of one lineage, more is newer. */
    writes: number;
}

/** The order a seal's head claims, or undefined for any other value (a store-mode id, a foreign cookie). */
export function sealOrder(value: unknown): SealOrder | undefined {
    if (typeof value !== 'string' || value.length <= HEAD_CHARS) return undefined;
    const sextets: number[] = [];
    for (let i = 0; i < HEAD_CHARS; i++) {
        const sextet = ALPHABET.indexOf(value[i]);
        if (sextet < 0) return undefined;
        sextets.push(sextet);
    }
    // The version byte is the first character's 6 bits and the second's top 2.
    if (((sextets[0] << 2) | (sextets[1] >> 4)) !== SEAL_VERSION) return undefined;
    // The writes field is the last 8 characters: 48 bits, read as a number (exact below 2^53).
    let writes = 0;
    for (let i = LINEAGE_CHARS; i < HEAD_CHARS; i++) writes = writes * 64 + sextets[i];
    return { lineage: value.slice(0, LINEAGE_CHARS), writes };
}
