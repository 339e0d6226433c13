import { createHash, createHmac, createSecretKey, KeyObject, randomBytes, timingSafeEqual } from 'crypto';

const ID_BYTES = 32;
/** base64url of 32 bytes (the id) and of a SHA-256 HMAC (the signature): 43 characters each. */
const PART_LENGTH = 43;
const SIGNED_ID = /^[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{43}$/;
/** Cookies already verified and ids already hashed, so a session's every call does not pay for them again. */
const CACHE_SIZE = 10_000;

export interface VerifiedId {
    id: string;
    /** False when an older secret of the list verified it: the cookie is re-signed on the way out. */
    signedWithCurrentSecret: boolean;
}

/** Makes, signs and verifies session ids: `<id>.<HMAC-SHA256(secret, id)>`, both base64url. */
export class SessionIdCodec {
    readonly #secrets: readonly KeyObject[];
    readonly #verified = new Map<string, VerifiedId>();
    readonly #storeKeys = new Map<string, string>();

    /** `secrets[0]` signs; every secret verifies, so secrets rotate without logging anyone out. */
    constructor(secrets: readonly string[]) {
        this.#secrets = secrets.map(secret => createSecretKey(Buffer.from(secret, 'utf8')));
    }

    /** 256 bits from the OS CSPRNG. */
    newId(): string {
        return randomBytes(ID_BYTES).toString('base64url');
    }

    sign(id: string): string {
        return `${id}.${this.#mac(this.#secrets[0], id).toString('base64url')}`;
    }

    /** The id, if `value` is a well-formed id signed by one of the secrets. Shape is checked before any crypto. */
    verify(value: unknown): VerifiedId | undefined {
        if (typeof value !== 'string' || value.length !== 2 * PART_LENGTH + 1) return undefined;
        const cached = this.#verified.get(value);
        if (cached) return cached;
        if (!SIGNED_ID.test(value)) return undefined;
        const verified = this.#verifySignature(value);
        if (verified) remember(this.#verified, value, verified);
        return verified;
    }

    #verifySignature(value: string): VerifiedId | undefined {
        const id = value.slice(0, PART_LENGTH);
        // Compared as text, not decoded bytes: base64url's spare bits would let other strings pass.
        const signature = Buffer.from(value.slice(PART_LENGTH + 1), 'latin1');
        for (let i = 0; i < this.#secrets.length; i++) {
            const expected = Buffer.from(this.#mac(this.#secrets[i], id).toString('base64url'), 'latin1');
            if (timingSafeEqual(signature, expected)) {
                return { id, signedWithCurrentSecret: i === 0 };
            }
        }
        return undefined;
    }

    /** What stores key sessions by: a database leak then holds no usable id. */
    storeKey(id: string): string {
        let key = this.#storeKeys.get(id);
        if (key === undefined) {
            key = createHash('sha256').update(id).digest('base64url');
            remember(this.#storeKeys, id, key);
        }
        return key;
    }

    /**
     * An opaque handle for one session in a device list: neither its id nor its store key, and
     * useless without the secret. Handles change when the signing secret does.
     */
    deviceHandle(storeKey: string): string {
        return this.#mac(this.#secrets[0], `device:${storeKey}`).toString('base64url').slice(0, 22);
    }

    #mac(secret: KeyObject, id: string): Buffer {
        return createHmac('sha256', secret).update(id).digest();
    }
}

/** Keeps at most CACHE_SIZE entries, dropping the oldest: only verified cookies and their ids go in. */
function remember<V>(cache: Map<string, V>, key: string, value: V): void {
    if (cache.size >= CACHE_SIZE) {
        const oldest = cache.keys().next();
        if (!oldest.done) cache.delete(oldest.value);
    }
    cache.set(key, value);
}
