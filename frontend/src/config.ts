import { API_PATH, WEB_SOCKET_PATH } from '../../shared/pageConfig';

/** Which API server the page talks to, and over what. */
export type Transport = 'http' | 'ws';

export interface PageConfig {
    httpUrl: string;
    wsUrl: string;
    transport: Transport;
}

/**
 * The API is on the page's own origin (its web server forwards `/api/` and `/ws`), so its address
 * is the page's: nothing in the page's URL can point the login form or the session elsewhere.
 * `?transport=ws` only picks HTTP or WebSocket, and keeps the switch across reloads without
 * writing anything to storage.
 */
export function readConfig(location: Location): PageConfig {
    const wsScheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const transport = new URLSearchParams(location.search).get('transport') === 'ws' ? 'ws' : 'http';
    return { httpUrl: `${location.origin}${API_PATH}`, wsUrl: `${wsScheme}//${location.host}${WEB_SOCKET_PATH}`, transport };
}

/** The page's address with the transport switched, for `history.replaceState`. */
export function urlWithTransport(location: Location, transport: Transport): string {
    const url = new URL(location.href);
    url.searchParams.set('transport', transport);
    return url.toString();
}
