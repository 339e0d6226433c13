import { CookieStorage } from './CookieStorage';

/** The three synchronous storage functions of a mini-program's `wx` object (WeChat, and the `wx`-compatible hosts). */
export interface WxStorageApi {
    /** Returns '' for a key that was never set. */
    getStorageSync(key: string): unknown;
    setStorageSync(key: string, data: unknown): void;
    removeStorageSync(key: string): void;
}

/**
 * The jar in a mini-program's local storage, which outlives the app's restarts like
 * `localStorage` does in a browser. Pass `wx` explicitly on hosts that name it differently.
 * @throws TypeError (`tsrpc-session: …`) when there is no `wx` storage API.
 * @example
 * ```ts
 * const client = new HttpClient(serviceProto, { server: 'https://api.example.com' });
 * enableCookies(client, { storage: wxStorage() });
 * ```
 */
export function wxStorage(wx: WxStorageApi | undefined = (globalThis as { wx?: WxStorageApi }).wx): CookieStorage {
    if (!wx || typeof wx.getStorageSync !== 'function' || typeof wx.setStorageSync !== 'function' || typeof wx.removeStorageSync !== 'function') {
        throw new TypeError('tsrpc-session: wxStorage needs the wx storage API (run it in a mini-program, or pass the object)');
    }
    return {
        getItem(key) {
            const value = wx.getStorageSync(key);
            // '' is how wx says "missing"; anything not a string was written by someone else.
            return typeof value === 'string' && value !== '' ? value : undefined;
        },
        setItem(key, value) {
            wx.setStorageSync(key, value);
        },
        removeItem(key) {
            wx.removeStorageSync(key);
        },
    };
}
