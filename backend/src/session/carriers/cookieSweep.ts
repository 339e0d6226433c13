import type { IncomingMessage } from 'http';
import type { CookieUpdate } from '../../../../shared/protocols/base';
import type { ResolvedSessionOptions } from '../plugin/options';
import { serializeSetCookie } from './cookieHeader';

/** Path prefixes of a request swept at most: `/a/b/c/d` gives `/`, `/a`, `/a/`, … (9 paths). */
const MAX_PATH_SEGMENTS = 4;
/** Domains swept at most: the host and its parents, the top-level label never. */
const MAX_DOMAINS = 4;
const COOKIE_PATH = /^\/[\x21-\x3a\x3c-\x7e]*$/;
const HOST_NAME = /^[a-z0-9-]+(\.[a-z0-9-]+)+$/;
const IPV4 = /^\d+(\.\d+){3}$/;

/**
 * The `Set-Cookie` lines of a session cookie change on an HTTP answer. A cookie without the
 * `__Host-` prefix can be planted by a sibling origin (another port of the host, a sibling
 * subdomain) on a longer path or a parent domain, where it shadows ours. When the change clears
 * the cookie, or replaces one the request carried, the same name is also cleared on every
 * (path, domain) a cookie sent with this request could have: each prefix of the request path, host
 * only and each parent domain. Those are exactly the cookies the browser sent, so no valid cookie
 * elsewhere is touched; our own line comes last, so the sweep never deletes what it sets. With
 * `__Host-` the browser holds at most one such cookie (Path=/, no Domain): one line.
 * See docs/design.md, Carriers.
 */
export function sessionSetCookies(req: IncomingMessage, update: CookieUpdate, options: ResolvedSessionOptions, presented: readonly string[]): string[] {
    const { httpCookie } = options;
    const own = serializeSetCookie(httpCookie.name, update, httpCookie, options.now());
    const replaces = presented.length > 0 && (update.value === null || presented.some(value => value !== update.value));
    if (httpCookie.name.startsWith('__Host-') || !replaces) return [own];
    const lines: string[] = [];
    const cleared: CookieUpdate = { value: null };
    for (const path of new Set([...requestPathPrefixes(req.url), httpCookie.path])) {
        for (const domain of [undefined, ...parentDomains(req.headers.host)]) {
            if (path === httpCookie.path && domain === httpCookie.domain) continue;
            lines.push(serializeSetCookie(httpCookie.name, cleared, { ...httpCookie, path, domain }, 0));
        }
    }
    lines.push(own);
    return [...new Set(lines)];
}

/** `/api/GetMe?x` → `/`, `/api`, `/api/`, `/api/GetMe`: every Path a cookie sent with it can have. */
function requestPathPrefixes(url: string | undefined): string[] {
    const path = (url ?? '/').split(/[?#]/, 1)[0];
    if (!COOKIE_PATH.test(path)) return ['/'];
    const prefixes = ['/'];
    const segments = path.split('/').slice(1);
    let prefix = '';
    for (const [i, segment] of segments.slice(0, MAX_PATH_SEGMENTS).entries()) {
        if (segment === '') break;
        prefix += `/${segment}`;
        prefixes.push(prefix);
        if (i < segments.length - 1) prefixes.push(`${prefix}/`);
    }
    return prefixes;
}

/** `app.shop.example:8080` → `app.shop.example`, `shop.example`: Domain values a sibling could plant with. */
function parentDomains(host: string | undefined): string[] {
    const name = (host ?? '').replace(/:\d+$/, '').toLowerCase();
    if (!HOST_NAME.test(name) || IPV4.test(name)) return [];
    const labels = name.split('.');
    const domains: string[] = [];
    for (let i = 0; i < labels.length - 1 && domains.length < MAX_DOMAINS; i++) domains.push(labels.slice(i).join('.'));
    return domains;
}
