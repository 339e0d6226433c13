import type { WsServer } from 'tsrpc';
import { addUpgradeCheck } from './upgradeChecks';

/**
 * Lets browsers open WebSockets to `server` only from the given page origins: an upgrade whose
 * `Origin` header names another origin is refused with 403 before any connection exists. Browsers
 * always send `Origin`, and a page cannot forge it; other clients (Node, mini-programs) send none
 * and are let through, since they could claim any origin anyway. This matters once a WebSocket
 * carries anything ambient (cookies in the handshake); with cookies in the body it closes one more
 * door. Call it before `start()`; it composes with `limitRequestSize` and `limitWebSockets`.
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
    addUpgradeCheck(server, 'allowWebSocketOrigins', req => {
        const origin = req.headers.origin;
        if (origin === undefined || allowed.has(normalizeOrigin(origin) ?? '')) return undefined;
        server.logger.warn('[WsOriginRefused]', origin);
        return { status: 403, message: 'Origin not allowed' };
    });
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
