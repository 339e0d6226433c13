import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'crypto';

/** The app cookie that marks a device a user logged in from (OWASP's "device cookie"). */
export const DEVICE_COOKIE = 'device';
/** How long a device stays known after its last successful login. */
export const DEVICE_COOKIE_MAX_AGE_MS = 180 * 24 * 60 * 60 * 1000;
const MAX_COOKIE_LENGTH = 128;

/**
 * Device cookies for the example's login throttling: set at a successful login, `<nonce>.<HMAC of
 * username and nonce>`, so one is valid only for the username it was issued to and cannot be made
 * up. A login carrying a valid one is throttled per device instead of per username (LoginGuard).
 */
export class DeviceCookies {
    readonly #key: Buffer;

    /** `secret`: the app's first session secret; the key is derived from it, never the secret itself. */
    constructor(secret: string) {
        this.#key = Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), Buffer.alloc(0), 'example device cookie', 32));
    }

    /** A new cookie value for `username`. */
    issue(username: string): string {
        const nonce = randomBytes(16).toString('base64url');
        return `${nonce}.${this.#mac(username, nonce)}`;
    }

    /** The device's nonce, when `value` is a cookie issued to `username`; else undefined. */
    deviceOf(username: string, value: string | undefined): string | undefined {
        if (value === undefined || value.length > MAX_COOKIE_LENGTH) return undefined;
        const [nonce, mac, ...rest] = value.split('.');
        if (!nonce || !mac || rest.length > 0) return undefined;
        const [given, expected] = [Buffer.from(mac), Buffer.from(this.#mac(username, nonce))];
        return given.length === expected.length && timingSafeEqual(given, expected) ? nonce : undefined;
    }

    #mac(username: string, nonce: string): string {
        return createHmac('sha256', this.#key).update(`${username}\0${nonce}`).digest('base64url');
    }
}
