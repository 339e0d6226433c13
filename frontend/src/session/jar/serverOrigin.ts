/** `scheme://host[:port]` of a URL; credentials, path, query and fragment are not part of it. */
const URL_PARTS = /^([a-z][a-z0-9+.-]*):\/\/(?:[^@/?#]*@)?(\[[^\]/?#]*\]|[^:/?#]*)(?::(\d*))?(?=[/?#]|$)/i;
const DEFAULT_PORTS: Readonly<Record<string, string>> = { http: '80', https: '443', ws: '80', wss: '443' };

/**
 * The origin a client's server URL calls, lower-case and without a default port: what a cookie
 * jar is scoped to, so two clients of one server share it and no other server ever sees it. Parsed
 * by hand because mini-program runtimes have no `URL`. A string that is not an absolute URL is its
 * own scope.
 */
export function serverOrigin(server: string): string {
    const parts = URL_PARTS.exec(server);
    if (!parts) return server;
    const scheme = parts[1].toLowerCase();
    const host = parts[2].toLowerCase();
    const port = parts[3] ? String(Number(parts[3])) : '';
    return `${scheme}://${host}${port && port !== DEFAULT_PORTS[scheme] ? `:${port}` : ''}`;
}
