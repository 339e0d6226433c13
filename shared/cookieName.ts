/**
 * The cookie names both ends accept: an RFC 6265 token subset, short, and never a name that would
 * reach an object's prototype when used as a key.
 */
const COOKIE_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export function isCookieName(name: unknown): name is string {
    return typeof name === 'string' && COOKIE_NAME.test(name) && !FORBIDDEN_KEYS.has(name);
}
