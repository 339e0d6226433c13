import { createCipheriv, createDecipheriv, createSecretKey, hkdfSync, KeyObject, randomFillSync } from 'crypto';
import { SEAL_HEAD_BYTES, SEAL_LINEAGE_BYTES, SEAL_VERSION } from '../../../../shared/sealOrder';

export { SEAL_VERSION };
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const KEY_INFO = 'tsrpc-session sealed session v1';
const BASE64URL = /^[A-Za-z0-9_-]+$/;
/** Nonces are drawn from a pool filled by the CSPRNG 256 at a time: one small randomBytes call costs more than the AES. */
const NONCE_POOL = Buffer.alloc(NONCE_BYTES * 256);
let noncesUsed = NONCE_POOL.length;
/** The head's fields, after the version byte. */
const LINEAGE_AT = 1;
const WRITES_AT = 1 + SEAL_LINEAGE_BYTES;

/** The clear part of a seal: which session (lineage) and how many writes its state has had. */
export interface SealHead {
    lineage: Buffer;
    writes: number;
}

/** What a seal opened to, and whether the first secret sealed it (else it is re-sealed on the way out). */
export interface Opened extends SealHead {
    plain: Buffer;
    sealedWithCurrentSecret: boolean;
}

/**
 * AES-256-GCM under keys derived from each secret with HKDF-SHA256 (info names the purpose, so
 * the ticket key and this one differ). `head ‖ nonce ‖ ciphertext ‖ tag`, base64url, where the
 * head is `version ‖ lineage ‖ writes` in the clear (shared/sealOrder.ts: clients order seals by
 * it). The associated data binds the library, the version, the purpose, the cookie name, the
 * audience and the head, so neither a seal made for another purpose, cookie or app nor an edited
 * head opens here. A fresh random 96-bit nonce per seal: at 2^32 seals per key the collision odds
 * stay below 2^-32.
 */
export class Sealer {
    /** KeyObjects, not Buffers: each cipher then skips importing the raw key again. */
    readonly #keys: readonly KeyObject[];
    /** The binding, with room at its end for the seal's head: one buffer reused by every seal and open. */
    readonly #aad: Buffer;
    readonly #bindingBytes: number;
    readonly #maxChars: number;

    constructor(secrets: readonly string[], binding: { purpose: string; cookieName: string; audience: string }, maxChars: number) {
        this.#keys = secrets.map(secret => createSecretKey(Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), Buffer.alloc(0), KEY_INFO, 32))));
        const bound = Buffer.from(JSON.stringify(['tsrpc-session', SEAL_VERSION, binding.purpose, binding.cookieName, binding.audience]), 'utf8');
        this.#bindingBytes = bound.length;
        this.#aad = Buffer.concat([bound, Buffer.alloc(SEAL_HEAD_BYTES)]);
        this.#maxChars = maxChars;
    }

    /** The longest seal `open` accepts. */
    get maxChars(): number {
        return this.#maxChars;
    }

    seal(head: SealHead, plain: Buffer): string {
        const out = Buffer.allocUnsafe(SEAL_HEAD_BYTES + NONCE_BYTES + plain.length + TAG_BYTES);
        out[0] = SEAL_VERSION;
        head.lineage.copy(out, LINEAGE_AT, 0, SEAL_LINEAGE_BYTES);
        out.writeUIntBE(head.writes, WRITES_AT, SEAL_HEAD_BYTES - WRITES_AT);
        const nonce = out.subarray(SEAL_HEAD_BYTES, SEAL_HEAD_BYTES + NONCE_BYTES);
        nextNonce(nonce);
        const cipher = createCipheriv('aes-256-gcm', this.#keys[0], nonce);
        cipher.setAAD(this.#aadFor(out));
        const written = SEAL_HEAD_BYTES + NONCE_BYTES + cipher.update(plain).copy(out, SEAL_HEAD_BYTES + NONCE_BYTES);
        cipher.final();
        cipher.getAuthTag().copy(out, written);
        return out.toString('base64url');
    }

    /** The plaintext and head of a seal made here, or undefined; shape and size are checked before any crypto. */
    open(value: unknown): Opened | undefined {
        if (typeof value !== 'string' || value.length > this.#maxChars || value.length < 60 || !BASE64URL.test(value)) return undefined;
        const bytes = Buffer.from(value, 'base64url');
        // base64url's spare bits would let several strings decode alike: only the canonical one passes.
        if (bytes[0] !== SEAL_VERSION || bytes.length <= SEAL_HEAD_BYTES + NONCE_BYTES + TAG_BYTES || bytes.toString('base64url') !== value) return undefined;
        const nonce = bytes.subarray(SEAL_HEAD_BYTES, SEAL_HEAD_BYTES + NONCE_BYTES);
        const body = bytes.subarray(SEAL_HEAD_BYTES + NONCE_BYTES, bytes.length - TAG_BYTES);
        const tag = bytes.subarray(bytes.length - TAG_BYTES);
        const aad = this.#aadFor(bytes);
        for (let i = 0; i < this.#keys.length; i++) {
            const decipher = createDecipheriv('aes-256-gcm', this.#keys[i], nonce);
            decipher.setAAD(aad);
            decipher.setAuthTag(tag);
            const plain = decipher.update(body);
            try {
                decipher.final();
            } catch {
                continue; // Not sealed with this key (or tampered): try the next one.
            }
            const lineage = Buffer.from(bytes.subarray(LINEAGE_AT, WRITES_AT));
            return { plain, lineage, writes: bytes.readUIntBE(WRITES_AT, SEAL_HEAD_BYTES - WRITES_AT), sealedWithCurrentSecret: i === 0 };
        }
        return undefined;
    }

    /** The associated data for a seal whose head starts `bytes` (the shared buffer: used at once, never kept). */
    #aadFor(bytes: Buffer): Buffer {
        bytes.copy(this.#aad, this.#bindingBytes, 0, SEAL_HEAD_BYTES);
        return this.#aad;
    }
}

/** Fills `into` with 12 fresh random bytes from the pool, refilling it when spent; each is used once. */
function nextNonce(into: Buffer): void {
    if (noncesUsed + NONCE_BYTES > NONCE_POOL.length) {
        randomFillSync(NONCE_POOL);
        noncesUsed = 0;
    }
    NONCE_POOL.copy(into, 0, noncesUsed, noncesUsed + NONCE_BYTES);
    noncesUsed += NONCE_BYTES;
}
