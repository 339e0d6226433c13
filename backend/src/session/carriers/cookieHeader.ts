import type { CookieUpdate } from '../../../../shared/protocols/base';
import type { IncomingHttpHeaders } from 'http';
import type { HttpCookieOptions, ResolvedSessionOptions } from '../plugin/options';

/** Far past: what `Expires` says of a cleared cookie, for clients that ignore `Max-Age`. */
const EPOCH = new Date(0).toUTCString();

/**
 * One cookie's value from a `Cookie` request header: the first pair with that name (duplicates
 * come from wider paths or domains, the first is the most specific), quotes around the value
 * removed. Pairs without `=` and other garbage are skipped, never thrown on.
 */
export function readCookie(header: unknown, name: string): string | undefined {
    if (typeof header !== 'string') return undefined;
    let start = 0;
    while (start < header.length) {
        let end = header.indexOf(';', start);
        if (end < 0) end = header.length;
        const eq = header.indexOf('=', start);
        if (eq > start && eq < end && header.slice(start, eq).trim() === name) {
            const value = header.slice(eq + 1, end).trim();
            return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
        }
        start = end + 1;
    }
    return undefined;
}

/**
 * The `Set-Cookie` header of the session cookie: HttpOnly always, its lifetime as both `Max-Age`
 * and `Expires` (on the plugin's clock); a cleared cookie gets `Max-Age=0`.
 */
export function serializeSetCookie(name: string, update: CookieUpdate, options: Readonly<HttpCookieOptions>, now: number): string {
    const parts = [`${name}=${update.value ?? ''}`, `Path=${options.path}`];
    if (options.domain !== undefined) parts.push(`Domain=${options.domain}`);
    if (update.value === null) parts.push('Max-Age=0', `Expires=${EPOCH}`);
    else if (update.maxAgeMs !== undefined) parts.push(`Max-Age=${Math.floor(update.maxAgeMs / 1000)}`, `Expires=${new Date(now + update.maxAgeMs).toUTCString()}`);
    parts.push('HttpOnly');
    if (options.secure) parts.push('Secure');
    parts.push(`SameSite=${options.sameSite}`);
    return parts.join('; ');
}

/** The session value a request's headers carry in `carrier` (`Cookie` or the session header); empty is none. */
export function carriedInHeaders(headers: IncomingHttpHeaders, carrier: 'httpCookie' | 'header', options: ResolvedSessionOptions): string | undefined {
    const value = carrier === 'httpCookie' ? readCookie(headers.cookie, options.cookieName) : headers[options.sessionHeader];
    return typeof value === 'string' && value !== '' ? value : undefined;
}
