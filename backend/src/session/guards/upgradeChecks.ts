import type { IncomingMessage } from 'http';
import type { WsServer } from 'tsrpc';
import { isStarted } from '../plugin/serverKinds';

/** What an upgrade check answers: undefined lets the upgrade through, a refusal answers it with an HTTP status. */
export type UpgradeRefusal = { status: number; message: string } | undefined;

type VerifyClient = (info: { origin: string; secure: boolean; req: IncomingMessage }, done: (ok: boolean, status?: number, message?: string) => void) => void;

/**
 * Adds `check` to the WebSocket upgrade checks of `server` (`ws`'s `verifyClient`), after the ones
 * already there, so allowWebSocketOrigins and limitWebSockets compose in either order. TSRPC hands
 * `wsOptions` to `ws` when it starts, so a started server would never run it.
 * @throws TypeError (`tsrpc-session: call NAME before the WsServer starts`)
 */
export function addUpgradeCheck(server: WsServer<any>, name: string, check: (req: IncomingMessage) => UpgradeRefusal): void {
    if (isStarted(server)) throw new TypeError(`tsrpc-session: call ${name} before the WsServer starts`);
    const previous = server.options.wsOptions?.verifyClient as VerifyClient | undefined;
    const verifyClient: VerifyClient = (info, done) => {
        const ours = () => {
            const refusal = check(info.req);
            if (refusal) done(false, refusal.status, refusal.message);
            else done(true);
        };
        if (!previous) return ours();
        previous(info, (ok, status, message) => ok ? ours() : done(false, status, message));
    };
    server.options.wsOptions = { ...server.options.wsOptions, verifyClient };
}
