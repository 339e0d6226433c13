import { randomBytes } from 'crypto';
import type { BaseConnection, Logger } from 'tsrpc';
import { ConnectionBindings } from './ConnectionBindings';
import { GuardedStore } from '../guards/GuardedStore';
import { SESSION_ENDED_REASON } from '../../../../shared/sessionEnd';
import { RevocationChannel, RevocationEvent } from '../stores/RevocationChannel';
import type { SessionTelemetry } from '../observability/telemetry';

export type RevocationChannelState = 'none' | 'connecting' | 'up' | 'down';

/** Sessions re-checked at once when a channel comes back, so a catch-up never floods the store. */
const CATCH_UP_CONCURRENCY = 16;

/**
 * Connection bindings shared with every server on the same store: what this server does to its
 * sockets (close them when their session ends, move them to a regenerated session's new key) it
 * publishes on the store's revocation channel, and what the others publish it does to its own:
 * close them when their session ended, move them to a renewed session's new key, and unbind them
 * from a regenerated one (so a socket that held a planted id never follows the victim's login).
 *
 * Losing the channel never fails a call (the store was written; the event only spares other
 * servers' sockets a wait until their next call). When it comes back, every session that has a
 * socket here is read again and the sockets of those that ended meanwhile are closed.
 */
export class BroadcastBindings extends ConnectionBindings {
    readonly #channel: RevocationChannel;
    readonly #store: GuardedStore;
    readonly #logger: Logger;
    /** Tells this server's own events apart when the channel echoes them. */
    readonly #origin = randomBytes(12).toString('base64url');
    #state: RevocationChannelState = 'connecting';

    readonly #now: () => number;

    constructor(channel: RevocationChannel, store: GuardedStore, logger: Logger, now: () => number, telemetry?: SessionTelemetry) {
        super(telemetry);
        this.#channel = channel;
        this.#store = store;
        this.#logger = logger;
        this.#now = now;
        channel.subscribe({
            event: (event, origin) => {
                if (origin !== this.#origin) this.#apply(event);
            },
            down: reason => {
                if (this.#state === 'down') return;
                this.#state = 'down';
                telemetry?.channelDown(reason);
                logger.warn(`[tsrpc-session] revocation channel down (${reason}): this server keeps serving; until it is back, its sockets hear of sessions ended on other servers only at their next call`);
            },
            up: () => {
                const wasDown = this.#state === 'down';
                this.#state = 'up';
                if (wasDown) telemetry?.channelUp();
                if (wasDown) void this.#catchUp();
            },
        });
    }

    get state(): RevocationChannelState {
        return this.#state;
    }

    override rekey(oldKey: string, newKey: string, newId: string | undefined): void {
        super.rekey(oldKey, newKey, newId);
        this.#publish({ type: 'rekeyed', key: oldKey, newKey });
    }

    override release(key: string): void {
        super.release(key);
        this.#publish({ type: 'released', key });
    }

    override close(key: string, reason: string, except?: BaseConnection): void {
        super.close(key, reason, except);
        this.#publish({ type: 'closed', key, reason });
    }

    #apply(event: RevocationEvent): void {
        // A renewed id stays unknown here: `sessionOf` answers for such a socket again after its next call.
        if (event.type === 'rekeyed') super.rekey(event.key, event.newKey, undefined);
        else if (event.type === 'released') super.release(event.key);
        else super.close(event.key, event.reason);
    }

    #publish(event: RevocationEvent): void {
        this.#channel.publish(event, this.#origin).catch((e: unknown) => {
            this.#logger.warn('[tsrpc-session] could not tell other servers of an ended session; their sockets learn at their next call:', (e as Error)?.message ?? e);
        });
    }

    /** Closes the sockets of sessions that ended while events could not arrive. */
    async #catchUp(): Promise<void> {
        const keys = this.boundKeys();
        this.#logger.log(`[tsrpc-session] revocation channel back; re-checking the ${keys.length} sessions with sockets on this server`);
        const pending = [...keys];
        const worker = async () => {
            for (let key = pending.pop(); key !== undefined; key = pending.pop()) {
                try {
                    const record = await this.#store.load(key!, this.#now());
                    if (!record) super.close(key, SESSION_ENDED_REASON);
                } catch {
                    // The store is unreachable too: the socket's next call will find out.
                }
            }
        };
        await Promise.all(Array.from({ length: Math.min(CATCH_UP_CONCURRENCY, keys.length) }, worker));
    }
}
