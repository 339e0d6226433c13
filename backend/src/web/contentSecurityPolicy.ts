/** `host[:port]` as a browser sends it in `Host`: a name or IPv4 address, or a bracketed IPv6 address. */
const HOST = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/** The `Host` header if it is a plain host (nothing that could add to a header built from it), else undefined. */
export function checkedHost(host: string | undefined): string | undefined {
    return host !== undefined && HOST.test(host) ? host : undefined;
}

/**
 * The page may load its own script and style, and connect to its own origin only (its API is
 * forwarded there): even a script injected into it could not send a password anywhere else. The
 * WebSocket origin is named beside 'self', which browsers before CSP 3 do not stretch to ws: and
 * wss:; both schemes, since whether a TLS proxy fronts the page decides which one it uses. It may
 * not be framed (clickjacking), nor post forms, nor change its base URL.
 */
export function contentSecurityPolicy(host: string): string {
    return [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        `connect-src 'self' ws://${host} wss://${host}`,
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    ].join('; ');
}
