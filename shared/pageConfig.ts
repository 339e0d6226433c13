/**
 * The API addresses the example page calls. The server that serves the page writes them into it
 * (as `<meta>` tags, no script); the page never takes them from its own URL, so a link cannot point
 * it, its login form or its session cookie at another server.
 */
export interface PageApiAddresses {
    /** e.g. http://127.0.0.1:3000 */
    httpUrl: string;
    /** e.g. ws://127.0.0.1:3001 */
    wsUrl: string;
}

/** The `<meta name>` each address travels under. */
export const PAGE_API_META: Readonly<Record<keyof PageApiAddresses, string>> = Object.freeze({
    httpUrl: 'tsrpc-session-http-api',
    wsUrl: 'tsrpc-session-ws-api',
});

const PROTOCOLS: Readonly<Record<keyof PageApiAddresses, readonly string[]>> = {
    httpUrl: ['http:', 'https:'],
    wsUrl: ['ws:', 'wss:'],
};

/** The origin of an API address of the right scheme (no path, query or credentials), or undefined. */
export function apiOrigin(kind: keyof PageApiAddresses, url: unknown): string | undefined {
    if (typeof url !== 'string') return undefined;
    let parsed: URL;
    try {
        parsed = new URL(url);
    } catch {
        return undefined;
    }
    if (!PROTOCOLS[kind].includes(parsed.protocol) || parsed.username || parsed.password) return undefined;
    if (parsed.pathname !== '/' || parsed.search || parsed.hash) return undefined;
    // URL.origin is 'null' for ws: in some runtimes; build it from the parts instead.
    return `${parsed.protocol}//${parsed.host}`;
}
