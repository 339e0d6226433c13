import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'crypto';
import type { CookieUpdate } from '../../../../shared/protocols/base';
import { GuardedStore } from '../guards/GuardedStore';
import { SessionIdCodec } from '../core/SessionIdCodec';
import { SESSION_RECORD_VERSION } from '../stores/SessionStore';
import type { SessionTelemetry } from '../observability/telemetry';

const TICKET_LIFETIME_MS = 30_000;
const TICKET_VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** A ticket's bytes besides the value it carries (version, IV, tag, the JSON around the value), with room to spare. */
const TICKET_OVERHEAD = 256;
const REDEEMED_FIELD = 'redeemed';

/** What a ticket holds: the session id (none: clear the cookie), the cookie's expiry, the ticket's. */
interface TicketPayload {
    /** The one-time marker's nonce. */
    n: string;
    /** The ticket expires then. */
    e: number;
    /** The session id (store mode); absent with `w` absent too clears the cookie. */
    s?: string;
    /** The signed value itself (sealed mode: the seal, which any server with the secrets opens). */
    w?: string;
    /** The cookie expires then; absent: a browser-session cookie. */
    c?: number;
}

/**
 * One-time, 30-second tickets that carry a session cookie change over a WebSocket whose session
 * rides in an HttpOnly cookie: the page's scripts see the ticket, never the id, and the HTTP
 * exchange (ticketExchange.ts) turns it into a `Set-Cookie`. Encrypted with AES-256-GCM under a
 * key derived from each secret (the first encrypts, all decrypt). A ticket carrying an id is
 * one-time across every server on the store, through a marker record that redeeming flips once
 * (compare-and-set); a clearing ticket needs none. In sealed mode the ticket carries the seal
 * (so it redeems on any server with the secrets), and its marker lives in the deny-list's store.
 */
export class SessionTickets {
    readonly #keys: readonly Buffer[];
    readonly #store: GuardedStore;
    readonly #codec: SessionIdCodec;
    readonly #now: () => number;
    readonly #telemetry: SessionTelemetry | undefined;
    /** Longer than any ticket this code makes: anything past it is refused before any crypto. */
    readonly #maxTicketLength: number;

    constructor(secrets: readonly string[], store: GuardedStore, codec: SessionIdCodec, now: () => number, telemetry?: SessionTelemetry) {
        this.#telemetry = telemetry;
        this.#keys = secrets.map(secret => Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), Buffer.alloc(0), 'tsrpc-session ticket', 32)));
        this.#store = store;
        this.#codec = codec;
        this.#now = now;
        this.#maxTicketLength = Math.ceil(((TICKET_OVERHEAD + codec.tickets.maxValueLength) * 4) / 3);
    }

    /** A ticket for the session cookie change `update` (its value the signed id, or null to clear). */
    async issue(update: CookieUpdate): Promise<string> {
        const now = this.#now();
        const nonce = randomBytes(16).toString('base64url');
        const expiresAt = now + TICKET_LIFETIME_MS;
        const { value } = update;
        const id = value === null ? undefined : this.#codec.verify(value)?.id;
        const { carries, oneTime } = this.#codec.tickets;
        const payload: TicketPayload = {
            n: nonce,
            e: expiresAt,
            ...(value !== null && id !== undefined && (carries === 'id' ? { s: id } : { w: value })),
            ...(id !== undefined && update.maxAgeMs !== undefined && { c: now + update.maxAgeMs }),
        };
        // A clearing ticket grants nothing: replayed, it clears the cookie again. Only tickets that
        // carry an id are one-time, so a logout or a stale cookie costs no store write.
        if (id !== undefined && oneTime) {
            await this.#store.create(this.#codec.storeKey(nonce), {
                v: SESSION_RECORD_VERSION, data: {}, marker: true, createdAt: now, lastSeenAt: now, idleExpiresAt: expiresAt, absoluteExpiresAt: expiresAt,
            });
        }
        this.#telemetry?.ticketIssued();
        return this.#seal(payload);
    }

    /**
     * The cookie change a ticket carries, once: undefined when it is malformed, forged, expired or
     * was redeemed before (here or on any server sharing the store). A sealed session's ticket
     * without a shared marker store (sealed mode without a deny-list) is not one-time: it redeems
     * on any server with the secrets until it expires.
     */
    async redeem(ticket: unknown): Promise<CookieUpdate | undefined> {
        const payload = this.#open(ticket);
        const now = this.#now();
        if (!payload || payload.e <= now) return undefined;
        const granted = payload.w ?? payload.s;
        if (granted === undefined) return { value: null };
        // A seal must still open here (same secrets, same binding), as its session's calls would.
        if (payload.w !== undefined && !this.#codec.verify(payload.w)) return undefined;
        if (this.#codec.tickets.oneTime) {
            const activity = { now, lastSeenAt: now, idleExpiresAt: payload.e };
            const result = await this.#store.compareAndSet(this.#codec.storeKey(payload.n), REDEEMED_FIELD, undefined, true, activity);
            if (result !== 'ok') return undefined;
        }
        this.#telemetry?.ticketRedeemed();
        const signed = payload.w === undefined ? this.#codec.sign(granted) : granted;
        return payload.c === undefined ? { value: signed } : { value: signed, maxAgeMs: Math.max(0, payload.c - now) };
    }

    #seal(payload: TicketPayload): string {
        const iv = randomBytes(IV_BYTES);
        const cipher = createCipheriv('aes-256-gcm', this.#keys[0], iv);
        const sealed = Buffer.concat([cipher.update(JSON.stringify(payload), 'utf8'), cipher.final()]);
        return Buffer.concat([Buffer.of(TICKET_VERSION), iv, sealed, cipher.getAuthTag()]).toString('base64url');
    }

    #open(ticket: unknown): TicketPayload | undefined {
        if (typeof ticket !== 'string' || ticket.length > this.#maxTicketLength || !/^[A-Za-z0-9_-]+$/.test(ticket)) return undefined;
        const bytes = Buffer.from(ticket, 'base64url');
        if (bytes.length <= 1 + IV_BYTES + TAG_BYTES || bytes[0] !== TICKET_VERSION) return undefined;
        const iv = bytes.subarray(1, 1 + IV_BYTES);
        const sealed = bytes.subarray(1 + IV_BYTES, bytes.length - TAG_BYTES);
        const tag = bytes.subarray(bytes.length - TAG_BYTES);
        for (const key of this.#keys) {
            try {
                const decipher = createDecipheriv('aes-256-gcm', key, iv);
                decipher.setAuthTag(tag);
                const plain = Buffer.concat([decipher.update(sealed), decipher.final()]).toString('utf8');
                return asPayload(JSON.parse(plain));
            } catch {
                // Not sealed with this key: try the next one.
            }
        }
        return undefined;
    }
}

function asPayload(value: unknown): TicketPayload | undefined {
    const payload = value as Partial<TicketPayload> | null;
    if (typeof payload?.n !== 'string' || typeof payload.e !== 'number') return undefined;
    if (payload.s !== undefined && typeof payload.s !== 'string') return undefined;
    if (payload.w !== undefined && typeof payload.w !== 'string') return undefined;
    if (payload.c !== undefined && typeof payload.c !== 'number') return undefined;
    return payload as TicketPayload;
}
