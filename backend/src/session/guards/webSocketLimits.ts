import type { IncomingMessage } from 'http';
import type { WsServer } from 'tsrpc';
import { withDefaults } from '../plugin/withDefaults';
import { addUpgradeCheck } from './upgradeChecks';

export interface WebSocketLimitOptions {
    /** Open WebSockets one client address may hold; the next upgrade from it is answered 429. @defaultValue 50 */
    maxPerAddress: number;
    /** Open WebSockets in all; the next upgrade is answered 503. Keep it under the process's file handle limit. @defaultValue 5000 */
    maxTotal: number;
    /**
     * The address an upgrade counts against. @defaultValue the socket's peer address. Behind a proxy,
     * return the address the proxy vouches for, and only when the request provably comes from it.
     */
    addressOf?: (req: IncomingMessage) => string;
}

export const defaultWebSocketLimitOptions: Readonly<Pick<WebSocketLimitOptions, 'maxPerAddress' | 'maxTotal'>> = Object.freeze({
    maxPerAddress: 50,
    maxTotal: 5000,
});

/** What limitWebSockets returns, for a status page or a test. */
export interface WebSocketCounts {
    /** Open WebSockets (upgrades let through whose socket has not closed yet). */
    readonly total: number;
    /** Open WebSockets of one address. */
    of(address: string): number;
}

/**
 * Caps the open WebSockets of `server` per client address and in all, so one client cannot use up
 * the process's file handles and lock everyone else out. The excess is refused at the upgrade,
 * before any WebSocket exists: 429 (Too Many Requests) past `maxPerAddress`, 503 (Service
 * Unavailable) past `maxTotal`; a client may retry once one of its sockets has closed. A socket
 * counts from the accepted upgrade until its TCP connection closes. Call it before `start()`; it
 * composes with allowWebSocketOrigins.
 * @throws RangeError (`tsrpc-session: …`) for a limit that is not a positive integer; TypeError for a started server.
 * @example
 * ```ts
 * limitWebSockets(wsServer, { maxPerAddress: 20, maxTotal: 2000 });
 * ```
 */
export function limitWebSockets(server: WsServer<any>, options: Partial<WebSocketLimitOptions> = {}): WebSocketCounts {
    const { maxPerAddress, maxTotal, addressOf } = withDefaults(defaultWebSocketLimitOptions, options);
    for (const [name, value] of Object.entries({ maxPerAddress, maxTotal })) {
        if (!Number.isInteger(value) || value < 1) throw new RangeError(`tsrpc-session: limitWebSockets ${name} must be a positive integer, got ${value}`);
    }
    if (addressOf !== undefined && typeof addressOf !== 'function') throw new TypeError('tsrpc-session: limitWebSockets addressOf must be a function');
    const perAddress = new Map<string, number>();
    let total = 0;
    addUpgradeCheck(server, 'limitWebSockets', req => {
        const address = addressOf ? addressOf(req) : req.socket.remoteAddress ?? '';
        if (total >= maxTotal) {
            server.logger.warn('[WsLimitRefused] total', total);
            return { status: 503, message: 'Too many WebSockets open, try again later' };
        }
        const mine = perAddress.get(address) ?? 0;
        if (mine >= maxPerAddress) {
            server.logger.warn('[WsLimitRefused]', address, mine);
            return { status: 429, message: 'Too many WebSockets from this address' };
        }
        total++;
        perAddress.set(address, mine + 1);
        req.socket.once('close', () => {
            total--;
            const left = (perAddress.get(address) ?? 1) - 1;
            if (left > 0) perAddress.set(address, left);
            else perAddress.delete(address);
        });
        return undefined;
    });
    return { get total() { return total; }, of: address => perAddress.get(address) ?? 0 };
}
