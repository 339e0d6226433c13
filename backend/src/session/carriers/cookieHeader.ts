import type { CookieUpdate } from '../../../../shared/protocols/base';
import type { IncomingHttpHeaders } from 'http';
import type { HttpCookieOptions, ResolvedSessionOptions } from '../plugin/options';

/** Far past: what `Expires` says of a cleared cookie, for clients that ignore `Max-Age`. */
const EPOCH = new Date(0).toUTCString();

/** More same-named pairs than this are not read further: two already mean "trust none". */
const MAX_VALUES_READ = 8;

/**
 * Every value of one cookie in a `Cookie` request header, in header order, quotes around each
 * removed. A browser sends one pair per (domain, path) that matches the request, so a second
 * value means another origin on the same host or a sibling domain planted one. Pairs without `=`
 * and other garbage are skipped, never thrown on.
 */
export function readCookieValues(header: unknown, name: string): string[] {
    const values: string[] = [];
    if (typeof header !== 'string') return values;
    let start = 0;
    while (start < header.length && values.length < MAX_VALUES_READ) {
        let end = header.indexOf(';', start);
        if (end < 0) end = header.length;
        const eq = header.indexOf('=', start);
        if (eq > start && eq < end && header.slice(start, eq).trim() === name) {
            const value = header.slice(eq + 1, end).trim();
            values.push(value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value);
        }
        start = end + 1;
    }
    return values;
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

/**
 * The session cookie pairs of one request, when there are several: a sibling origin planted one.
 * None of them is trusted (which is ours cannot be told); the call is anonymous and rejected.
 */
export class DuplicateSessionCookies {
    constructor(readonly values: readonly string[]) {}
}

/**
 * The session value a request's headers carry in `carrier` (`Cookie` or the session header); empty
 * is none; several non-empty session cookies are {@link DuplicateSessionCookies}.
 */
export function carriedInHeaders(headers: IncomingHttpHeaders, carrier: 'httpCookie' | 'header', options: ResolvedSessionOptions): string | DuplicateSessionCookies | undefined {
    if (carrier === 'httpCookie') {
        const values = readCookieValues(headers.cookie, options.httpCookie.name).filter(value => value !== '');
        return values.length > 1 ? new DuplicateSessionCookies(values) : values[0];
    }
    const value = headers[options.sessionHeader];
    return typeof value === 'string' && value !== '' ? value : undefined;
}
