import type { CookieValues } from '../../../shared/protocols/base';
import { h } from './dom';

/** What the jar keeps in this browser: a signed session id and app cookies, never session data. */
export function renderStoredCookies(root: HTMLElement, cookies: CookieValues): void {
    const names = Object.keys(cookies);
    root.replaceChildren(
        h('h2', {}, 'Stored in this browser'),
        names.length === 0
            ? h('p', { className: 'muted' }, 'Nothing yet.')
            : h('dl', { className: 'cookies' }, ...names.flatMap(name => [
                h('dt', {}, h('code', {}, name)),
                h('dd', {}, h('code', {}, shorten(cookies[name]))),
            ])),
        h('p', { className: 'muted' }, 'Your account and cart stay on the server; localStorage holds only this signed id.'),
    );
}

/** Enough to tell two ids apart, never enough to use one: nothing on the page can be copied into another browser. */
function shorten(value: string): string {
    return value.length > 12 ? `${value.slice(0, 8)}…` : value;
}
