import { timingSafeEqual } from 'crypto';
import type { IncomingMessage } from 'http';
import { PROXY_SECRET_HEADER } from '../web/forwarding';

/**
 * The address a request came from, as the example counts it (login throttling, WebSocket limits).
 * `X-Forwarded-For` is trusted only on a request that carries `proxySecret` in
 * `PROXY_SECRET_HEADER`: the example's own forwarder (forwarding.ts) adds it, replacing any copy
 * from the client, and a local process does not know it (a random secret per start). Then only the
 * last entry counts (the one the forwarder saw; TSRPC's `conn.ip` takes the first, which the client
 * writes). Otherwise, the socket's peer: a local process rotating `X-Forwarded-For` is one address.
 */
export function trustedClientAddress(req: IncomingMessage, proxySecret: string | undefined): string {
    const peer = req.socket?.remoteAddress ?? 'unknown';
    const forwardedFor = req.headers['x-forwarded-for'];
    if (proxySecret === undefined || typeof forwardedFor !== 'string' || !fromProxy(req, proxySecret)) return peer;
    return forwardedFor.split(',').pop()?.trim() || peer;
}

function fromProxy(req: IncomingMessage, proxySecret: string): boolean {
    const given = req.headers[PROXY_SECRET_HEADER];
    if (typeof given !== 'string') return false;
    const [a, b] = [Buffer.from(given), Buffer.from(proxySecret)];
    return a.length === b.length && timingSafeEqual(a, b);
}
