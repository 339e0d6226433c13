import type { WsServer } from 'tsrpc';
import { isStarted } from '../plugin/serverKinds';

/**
 * Lets browsers open WebSockets to `server` only from the given page origins: an upgrade whose
 * `Origin` header names another origin is refused with 403 before any connection exists. Browsers
 * always send `Origin`, and a page cannot forge it; other clients (Node, mini-programs) send none
 * and are let through, since they could claim any origin anyway. This matters once a WebSocket
 * carries anything ambient (cookies in the handshake); with cookies in the body it closes one more
 * door. Call it before `start()`; it composes with `limitRequestSize`.
 * @throws TypeError (`tsrpc-session: …`) for an entry that is not an origin, or a started server.
 * @example
 * ```ts
 * allowWebSocketOrigins(wsServer, ['https://shop.example.com']);
 * ```
 */
export function allowWebSocketOrigins(server: WsServer<any>, origins: readonly string[]): void {
    const allowed = new Set(origins.map(origin => {
        const normalized = normalizeOrigin(origin);
        if (normalized === undefined) throw new TypeError(`tsrpc-session: '${origin}' is not an origin (scheme://host[:port], nothing after it)`);
        return normalized;
    }));
    // TSRPC hands wsOptions to `ws` when it starts: a started server would never see the check.
    if (isStarted(server)) throw new TypeError('tsrpc-session: call allowWebSocketOrigins before the WsServer starts');
    server.options.wsOptions = {
        ...server.options.wsOptions,
        verifyClient: (info, done) => {
            const origin = info.req.headers.origin;
            if (origin === undefined || allowed.has(normalizeOrigin(origin) ?? '')) return done(true);
            server.logger.warn('[WsOriginRefused]', origin);
            done(false, 403, 'Origin not allowed');
        },
    };
}

/** `scheme://host[:port]` as browsers send it, or undefined for anything with more (or less) in it. */
export function normalizeOrigin(origin: unknown): string | undefined {
    if (typeof origin !== 'string') return undefined;
    try {
        const url = new URL(origin);
        if (url.origin === 'null' || url.username || url.password || url.pathname !== '/' || url.search || url.hash) return undefined;
        return url.origin;
    } catch {
        return undefined;
    }
}
