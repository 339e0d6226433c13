import type { SessionStore } from './SessionStore';

/**
 * What one server tells the others sharing its store, so that they do to their own WebSockets what
 * it did to its own: close those bound to a session that ended, move them to the session's new key
 * after an id renewal, or unbind them from a regenerated session. Only store keys (SHA-256 of ids)
 * travel, never an id.
 */
export type RevocationEvent =
    | { type: 'closed'; key: string; reason: string }
    | { type: 'rekeyed'; key: string; newKey: string }
    | { type: 'released'; key: string };

/** What a channel reports to its subscriber. */
export interface RevocationListener {
    /** An event published by any server on the channel, this one included. */
    event(event: RevocationEvent, origin: string): void;
    /** Events are no longer delivered (the connection behind the channel was lost). */
    down(reason: string): void;
    /** Events are delivered again; those published while down were missed. */
    up(): void;
}

/**
 * A broadcast among the servers sharing a store, on the store's own engine (Redis pub/sub, MongoDB
 * change streams, an in-process emitter for MemoryStore). Delivery is at most once: a server that
 * missed events re-checks its sockets' sessions when its channel is back, and every call re-checks
 * the store anyway.
 */
export interface RevocationChannel {
    /** Sends to every subscriber, this server's included; rejects when it cannot be sent. */
    publish(event: RevocationEvent, origin: string): Promise<void>;
    /** Starts delivering to `listener` (once per channel); keeps reconnecting until `close()`. */
    subscribe(listener: RevocationListener): void;
    /** Stops delivering and releases the channel's connections. */
    close(): Promise<void>;
}

/**
 * The optional store capability: a store that has it opens one channel per `enableSession`, and
 * closes them in its own `close()`. Undefined when this instance cannot (its connection says too
 * little to open another); the plugin then works as without a channel.
 */
export interface RevocationChannelStore {
    openRevocationChannel(): RevocationChannel | undefined;
}

export function revocationChannelOf(store: SessionStore): RevocationChannel | undefined {
    const capable = store as Partial<RevocationChannelStore>;
    return typeof capable.openRevocationChannel === 'function' ? capable.openRevocationChannel() : undefined;
}

const EVENT_VERSION = 1;
const MAX_KEY_LENGTH = 200;
const MAX_REASON_LENGTH = 200;

/** The wire text of an event (JSON with a version, like every stored format). */
export function encodeRevocationEvent(event: RevocationEvent, origin: string): string {
    return JSON.stringify({ v: EVENT_VERSION, origin, ...event });
}

/** The event in a message, or undefined for anything malformed: a channel message never throws. */
export function decodeRevocationEvent(text: string): { event: RevocationEvent; origin: string } | undefined {
    let parsed: unknown;
    try {
        parsed = JSON.parse(text);
    } catch {
        return undefined;
    }
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const { v, origin, type, key, reason, newKey } = parsed as Record<string, unknown>;
    if (v !== EVENT_VERSION || typeof origin !== 'string' || !isShortString(key, MAX_KEY_LENGTH)) return undefined;
    if (type === 'closed' && isShortString(reason, MAX_REASON_LENGTH)) return { event: { type, key, reason }, origin };
    if (type === 'rekeyed' && isShortString(newKey, MAX_KEY_LENGTH)) return { event: { type, key, newKey }, origin };
    if (type === 'released') return { event: { type, key }, origin };
    return undefined;
}

function isShortString(value: unknown, max: number): value is string {
    return typeof value === 'string' && value.length > 0 && value.length <= max;
}
