import { apiOrigin, PAGE_API_META, PageApiAddresses } from '../../shared/pageConfig';

/** Both addresses checked: http(s) and ws(s) origins only, so nothing else reaches a header or the page. */
export function checkedApiAddresses(api: PageApiAddresses): { httpOrigin: string; wsOrigin: string } | undefined {
    const httpOrigin = apiOrigin('httpUrl', api.httpUrl);
    const wsOrigin = apiOrigin('wsUrl', api.wsUrl);
    return httpOrigin && wsOrigin ? { httpOrigin, wsOrigin } : undefined;
}

/**
 * The page may load its own script and style, and connect to its two API origins only: even a
 * script injected into it could not send a session id or a password anywhere else. It may not be
 * framed (clickjacking), nor post forms, nor change its base URL.
 */
export function contentSecurityPolicy(origins: { httpOrigin: string; wsOrigin: string }): string {
    return [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        `connect-src ${origins.httpOrigin} ${origins.wsOrigin}`,
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    ].join('; ');
}

/** The page's HTML with its API addresses as `<meta>` tags (read by frontend/src/config.ts), before `</head>`. */
export function htmlWithApiAddresses(html: string, origins: { httpOrigin: string; wsOrigin: string }): string {
    const tags = `<meta name="${PAGE_API_META.httpUrl}" content="${escapeAttribute(origins.httpOrigin)}">`
        + `<meta name="${PAGE_API_META.wsUrl}" content="${escapeAttribute(origins.wsOrigin)}">`;
    const head = html.search(/<\/head>/i);
    return head === -1 ? tags + html : html.slice(0, head) + tags + html.slice(head);
}

function escapeAttribute(value: string): string {
    return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
