import { randomBytes } from 'crypto';
import { SESSION_RECORD_VERSION, SessionActivity, SessionRecord } from '../SessionStore';

export const SECOND = 1000;
export const IDLE_MS = 60 * SECOND;
export const ABSOLUTE_MS = 3600 * SECOND;

/** Times around the real clock: a store with server-side expiry (Redis, Mongo TTL) keeps these records during the test. */
export function recordAt(t0: number, data: Record<string, unknown> = {}, extra: Partial<SessionRecord> = {}): SessionRecord {
    return {
        v: SESSION_RECORD_VERSION, data,
        createdAt: t0, lastSeenAt: t0, idleExpiresAt: t0 + IDLE_MS, absoluteExpiresAt: t0 + ABSOLUTE_MS,
        ...extra,
    };
}

export function activityAt(now: number, userId?: string | null): SessionActivity {
    return { now, lastSeenAt: now, idleExpiresAt: now + IDLE_MS, ...(userId !== undefined && { userId }) };
}

/** A key shaped like the plugin's (SHA-256, base64url). */
export function newKey(): string {
    return randomBytes(32).toString('base64url');
}
