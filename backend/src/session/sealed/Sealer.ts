import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'crypto';

/** The first byte of every seal: a later format gets a new one, and this code refuses it. */
export const SEAL_VERSION = 0x01;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const KEY_INFO = 'tsrpc-session sealed session v1';
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** What a seal opened to, and whether the first secret sealed it (else it is re-sealed on the way out). */
export interface Opened {
    plain: Buffer;
    sealedWithCurrentSecret: boolean;
}

/**
 * AES-256-GCM under keys derived from each secret with HKDF-SHA256 (info names the purpose, so
 * the ticket key and this one differ). `version ‖ nonce ‖ ciphertext ‖ tag`, base64url; the
 * associated data binds the version byte, the purpose and the cookie name, so a seal made for
 * another purpose, cookie or app (`audience`) does not open here. A fresh random 96-bit nonce
 * per seal: at 2^32 seals per key the collision odds stay below 2^-32.
 */
export class Sealer {
    readonly #keys: readonly Buffer[];
    readonly #aad: Buffer;
    readonly #maxChars: number;

    constructor(secrets: readonly string[], binding: { purpose: string; cookieName: string; audience: string }, maxChars: number) {
        this.#keys = secrets.map(secret => Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), Buffer.alloc(0), KEY_INFO, 32)));
        this.#aad = Buffer.from(JSON.stringify(['tsrpc-session', SEAL_VERSION, binding.purpose, binding.cookieName, binding.audience]), 'utf8');
        this.#maxChars = maxChars;
    }

    seal(plain: Buffer): string {
        const nonce = randomBytes(NONCE_BYTES);
        const cipher = createCipheriv('aes-256-gcm', this.#keys[0], nonce);
        cipher.setAAD(this.#aad);
        const body = cipher.update(plain);
        cipher.final();
        return Buffer.concat([Buffer.of(SEAL_VERSION), nonce, body, cipher.getAuthTag()]).toString('base64url');
    }

    /** The plaintext of a seal made here, or undefined; shape and size are checked before any crypto. */
    open(value: unknown): Opened | undefined {
        if (typeof value !== 'string' || value.length > this.#maxChars || value.length < 40 || !BASE64URL.test(value)) return undefined;
        const bytes = Buffer.from(value, 'base64url');
        // base64url's spare bits would let several strings decode alike: only the canonical one passes.
        if (bytes[0] !== SEAL_VERSION || bytes.length <= 1 + NONCE_BYTES + TAG_BYTES || bytes.toString('base64url') !== value) return undefined;
        const nonce = bytes.subarray(1, 1 + NONCE_BYTES);
        const body = bytes.subarray(1 + NONCE_BYTES, bytes.length - TAG_BYTES);
        const tag = bytes.subarray(bytes.length - TAG_BYTES);
        for (let i = 0; i < this.#keys.length; i++) {
            const decipher = createDecipheriv('aes-256-gcm', this.#keys[i], nonce);
            decipher.setAAD(this.#aad);
            decipher.setAuthTag(tag);
            const plain = decipher.update(body);
            try {
                decipher.final();
            } catch {
                continue; // Not sealed with this key (or tampered): try the next one.
            }
            return { plain, sealedWithCurrentSecret: i === 0 };
        }
        return undefined;
    }
}
