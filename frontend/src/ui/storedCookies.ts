import type { CookieValues } from '../../../shared/protocols/base';
import { h } from './dom';

/**
 * What the page's scripts can see of its cookies: app cookies only (this example sets one, `device`,
 * which its login throttling reads; see backend/src/hardening/deviceCookies.ts). The
 * session id is in an HttpOnly cookie, which the browser sends and no script reads.
 */
export function renderStoredCookies(root: HTMLElement, cookies: CookieValues): void {
    const names = Object.keys(cookies);
    root.replaceChildren(
        h('h2', {}, 'Stored in this browser'),
        names.length === 0
            ? h('p', { className: 'muted' }, 'No app cookies.')
            : h('dl', { className: 'cookies' }, ...names.flatMap(name => [
                h('dt', {}, h('code', {}, name)),
                h('dd', {}, h('code', {}, shorten(cookies[name]))),
            ])),
        h('p', { className: 'muted' }, 'Your session id is in an HttpOnly cookie: the browser sends it, no script on this page can read it. Your account and cart stay on the server.'),
    );
}

/** App cookies are readable anyway; shortened so a long one does not stretch the panel. */
function shorten(value: string): string {
    return value.length > 24 ? `${value.slice(0, 20)}…` : value;
}
