import * as crypto from 'crypto';
import { createHash, createHmac, createSecretKey, KeyObject, randomBytes, timingSafeEqual } from 'crypto';
import { BoundedMap } from '../../../../shared/boundedMap';
import { taggedId, taggedKey, tagOfId } from '../stores/sessionTags';

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
    /** The id's store key, kept by {@link SessionIdCodec.storeKeyOf} once asked: a cookie's every later call reads it here. */
    storeKey?: string;
}

export interface TicketCarriage {
    /** `id`: the session id, signed again at redemption; `value`: the signed value as the call answered it. */
    carries: 'id' | 'value';
    /** Whether a ticket carrying a session writes a one-time marker to a store shared by the servers. */
    oneTime: boolean;
    /** The longest signed value, so tickets of a longer one are refused before any crypto. */
    maxValueLength: number;
}

/** Makes, signs and verifies session ids: `<id>.<HMAC-SHA256(secret, id)>`, both base64url. */
export class SessionIdCodec {
    readonly #secrets: readonly KeyObject[];
    readonly #idMacs: readonly IdMac[];
    readonly #verified = new BoundedMap<string, VerifiedId>(CACHE_SIZE);
    readonly #storeKeys = new BoundedMap<string, string>(CACHE_SIZE);
    /** The presented and the expected signature, as bytes for timingSafeEqual, reused by every verification. */
    readonly #presented = Buffer.alloc(PART_LENGTH);
    readonly #expected = Buffer.alloc(PART_LENGTH);

    /** `secrets[0]` signs; every secret verifies, so secrets rotate without logging anyone out. */
    constructor(secrets: readonly string[]) {
        this.#secrets = secrets.map(secret => createSecretKey(Buffer.from(secret, 'utf8')));
        this.#idMacs = secrets.map(secret => new IdMac(Buffer.from(secret, 'utf8')));
    }

    /** Entries of the two caches, each bounded by CACHE_SIZE. */
    get cacheSizes(): { verifiedCookies: number; storeKeys: number } {
        return { verifiedCookies: this.#verified.size, storeKeys: this.#storeKeys.size };
    }

    /**
     * 256 bits from the OS CSPRNG; with `tag` (a store that places sessions by user), a tagged id
     * of 234 random bits (stores/sessionTags.ts), a random tag for `null`.
     */
    newId(tag?: string | null): string {
        if (tag !== undefined) return taggedId(tag ?? undefined);
        return randomBytes(ID_BYTES).toString('base64url');
    }

    sign(id: string): string {
        return `${id}.${this.#idMacs[0].of(id)}`;
    }

    /**
     * How a WebSocket ticket (carriers/sessionTickets.ts) carries a session: here the id, re-signed
     * where it is redeemed (the store holds the session on every server), one-time through a
     * marker in the store. Sealed mode carries the seal itself.
     */
    get tickets(): TicketCarriage {
        return { carries: 'id', oneTime: true, maxValueLength: 2 * PART_LENGTH + 1 };
    }

    /** The id, if `value` is a well-formed id signed by one of the secrets. Shape is checked before any crypto. */
    verify(value: unknown): VerifiedId | undefined {
        if (typeof value !== 'string' || value.length !== 2 * PART_LENGTH + 1) return undefined;
        const cached = this.#verified.get(value);
        if (cached) return cached;
        if (!SIGNED_ID.test(value)) return undefined;
        const verified = this.#verifySignature(value);
        if (verified) this.#verified.set(value, verified);
        return verified;
    }

    /** Every secret is tried, whichever matches: the time taken does not tell which one signed. */
    #verifySignature(value: string): VerifiedId | undefined {
        const id = value.slice(0, PART_LENGTH);
        // Compared as text, not decoded bytes: base64url's spare bits would let other strings pass.
        this.#presented.write(value.slice(PART_LENGTH + 1), 'latin1');
        let matched = -1;
        for (let i = 0; i < this.#idMacs.length; i++) {
            this.#expected.write(this.#idMacs[i].of(id), 'latin1');
            if (timingSafeEqual(this.#presented, this.#expected) && matched < 0) matched = i;
        }
        return matched < 0 ? undefined : { id, signedWithCurrentSecret: matched === 0 };
    }

    /**
     * The store key of a verified id, kept on it: verified cookies are cached, so a session's later
     * calls find the key without a lookup (and without comparing the id, sliced from the cookie,
     * character by character with the string it was first hashed from).
     */
    storeKeyOf(verified: VerifiedId): string {
        return verified.storeKey ??= this.storeKey(verified.id);
    }

    /** What stores key sessions by: a database leak then holds no usable id. */
    storeKey(id: string): string {
        let key = this.#storeKeys.get(id);
        if (key === undefined) {
            key = createHash('sha256').update(id).digest('base64url');
            const tag = tagOfId(id);
            if (tag !== undefined) key = taggedKey(tag, key);
            this.#storeKeys.set(id, key);
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

const HMAC_BLOCK_BYTES = 64;
/** `crypto.hash` (Node >= 20.12): one call, no Hash object to build and collect. */
const oneShotHash = oneShotHashOf(Reflect.get(crypto, 'hash'));

type OneShotHash = (algorithm: string, data: Buffer, encoding: 'latin1' | 'base64url') => string;

/** The typings of Node 20.0 do not have it yet: present or not, by feature test. */
function oneShotHashOf(hash: unknown): OneShotHash | undefined {
    return typeof hash === 'function' ? (algorithm, data, encoding) => String(hash(algorithm, data, encoding)) : undefined;
}

/**
 * HMAC-SHA256 of a session id, base64url: what `createHmac` computes (RFC 2104), as two one-shot
 * hashes over pads prepared once. Verifying a cookie is on every call's path, a rejected one's
 * too, and an Hmac object per call was most of that call's cost (its construction and its GC).
 */
class IdMac {
    readonly #key: Buffer;
    /** key ⊕ ipad, then the id (always PART_LENGTH ASCII characters). */
    readonly #inner = Buffer.alloc(HMAC_BLOCK_BYTES + PART_LENGTH);
    /** key ⊕ opad, then the inner digest. */
    readonly #outer = Buffer.alloc(HMAC_BLOCK_BYTES + 32);

    constructor(secret: Buffer) {
        this.#key = secret;
        const key = secret.length > HMAC_BLOCK_BYTES ? createHash('sha256').update(secret).digest() : secret;
        for (let i = 0; i < HMAC_BLOCK_BYTES; i++) {
            this.#inner[i] = (key[i] ?? 0) ^ 0x36;
            this.#outer[i] = (key[i] ?? 0) ^ 0x5c;
        }
    }

    /** `id` is base64url text (ASCII), as every id this codec makes or accepts. */
    of(id: string): string {
        if (!oneShotHash || id.length !== PART_LENGTH) return createHmac('sha256', this.#key).update(id).digest('base64url');
        this.#inner.write(id, HMAC_BLOCK_BYTES, 'latin1');
        this.#outer.write(oneShotHash('sha256', this.#inner, 'latin1'), HMAC_BLOCK_BYTES, 'latin1');
        return oneShotHash('sha256', this.#outer, 'base64url');
    }
}
