import { apiOrigin, PAGE_API_META } from '../../shared/pageConfig';

/** Which API servers the page talks to, and over what. */
export type Transport = 'http' | 'ws';

export interface PageConfig {
    httpUrl: string;
    wsUrl: string;
    transport: Transport;
}

/**
 * The API addresses come from the server that served the page (`<meta>` tags it writes), never
 * from the page's URL: a link must not be able to send the login form or the session id to
 * another server. `?transport=ws` only picks one of those two servers, and keeps the switch across
 * reloads without writing anything to localStorage, which holds the cookie jars alone.
 * @throws when the page was not served with its API addresses (opened as a file, another server).
 */
export function readConfig(document: Document, location: Location): PageConfig {
    const httpUrl = apiOrigin('httpUrl', metaContent(document, PAGE_API_META.httpUrl));
    const wsUrl = apiOrigin('wsUrl', metaContent(document, PAGE_API_META.wsUrl));
    if (!httpUrl || !wsUrl) throw new Error('This page was served without its API addresses: open it from the example\'s web server (npm start).');
    const transport = new URLSearchParams(location.search).get('transport') === 'ws' ? 'ws' : 'http';
    return { httpUrl, wsUrl, transport };
}

function metaContent(document: Document, name: string): string | undefined {
    return document.querySelector<HTMLMetaElement>(`meta[name="${name}"]`)?.content;
}

/** The page's address with the transport switched, for `history.replaceState`. */
export function urlWithTransport(location: Location, transport: Transport): string {
    const url = new URL(location.href);
    url.searchParams.set('transport', transport);
    return url.toString();
}
