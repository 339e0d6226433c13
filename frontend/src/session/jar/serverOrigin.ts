import { originWithoutUrl } from './originWithoutUrl';

/** Schemes whose URLs the transports parse the WHATWG "special" way, and their default ports. */
const DEFAULT_PORTS: Readonly<Record<string, string>> = { 'http:': '80', 'https:': '443', 'ws:': '80', 'wss:': '443' };
const SPECIAL_SCHEME = /^\s*(https?|wss?):/i;
/** An `@` before the authority ends (backslashes are refused before, so only `/ ? #` end it). */
const CREDENTIALS = /^[a-z]+:\/*[^/?#]*@/i;

/**
 * The origin a client's server URL calls, lower-case and without a default port: what a cookie
 * jar is scoped to, so two clients of one server share it and no other server ever sees it.
 * Derived as the transport derives it (WHATWG `URL`, as browsers' XHR, fetch and WebSocket and
 * Node's http and `ws` do); where a runtime has no `URL` (mini-programs), by a parser that agrees
 * with it or refuses. A string that is not an http(s) or ws(s) URL is its own scope.
 * @throws TypeError (`tsrpc-session: …`) for a URL with credentials, a backslash, whitespace or
 * control characters, or one the fallback parser cannot read as `URL` would: parsers disagree on
 * such URLs, and the jar would send one origin's session to another.
 */
export function serverOrigin(server: string): string {
    if (!SPECIAL_SCHEME.test(server)) return server;
    if (/[\\\x00-\x20\x7f]/.test(server)) refuse(server, 'holds a backslash, whitespace or a control character');
    if (CREDENTIALS.test(server)) refuse(server, 'carries credentials (user@host)');
    return typeof URL === 'function' ? originByUrl(server) : originWithoutUrl(server) ?? refuse(server, 'cannot be read without the WHATWG URL parser');
}

/** The origin by WHATWG `URL`. */
export function originByUrl(server: string): string {
    let url: URL;
    try {
        url = new URL(server);
    } catch {
        return refuse(server, 'is not a valid URL');
    }
    if (url.username !== '' || url.password !== '') refuse(server, 'carries credentials (user@host)');
    const port = url.port !== '' && url.port !== DEFAULT_PORTS[url.protocol] ? `:${url.port}` : '';
    return `${url.protocol}//${url.hostname}${port}`;
}

function refuse(server: string, why: string): never {
    throw new TypeError(`tsrpc-session: the server URL '${server.slice(0, 200)}' ${why}; the cookie jar refuses it`);
}
