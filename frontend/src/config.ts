/** Which API servers the page talks to, and over what. */
export type Transport = 'http' | 'ws';

export interface PageConfig {
    httpUrl: string;
    wsUrl: string;
    transport: Transport;
}

/**
 * `?http=…&ws=…` point the page at other servers (the browser test's random ports); by default
 * the example's ports on the page's own host. `?transport=ws` keeps the switch across reloads
 * without writing anything to localStorage, which holds the cookie jar alone.
 */
export function readConfig(location: Location): PageConfig {
    const query = new URLSearchParams(location.search);
    return {
        httpUrl: query.get('http') ?? `http://${location.hostname}:3000`,
        wsUrl: query.get('ws') ?? `ws://${location.hostname}:3001`,
        transport: query.get('transport') === 'ws' ? 'ws' : 'http',
    };
}

/** The page's address with the transport switched, for `history.replaceState`. */
export function urlWithTransport(location: Location, transport: Transport): string {
    const url = new URL(location.href);
    url.searchParams.set('transport', transport);
    return url.toString();
}
