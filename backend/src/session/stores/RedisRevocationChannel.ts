import { setTimeout as sleep } from 'timers/promises';
import {
    decodeRevocationEvent, encodeRevocationEvent, RevocationChannel, RevocationEvent, RevocationListener,
} from './RevocationChannel';

/** A connection that only subscribes; the channel connects it, and destroys it when it fails. */
export interface RedisSubscriber {
    connect(): Promise<unknown>;
    subscribe(channel: string, listener: (message: string) => void): Promise<void>;
    destroy(): void;
    on(event: 'error', listener: (error: Error) => void): unknown;
}

/** A new subscriber connection, not yet connected; `attempt` lets a cluster try its nodes in turn. */
export type RedisSubscriberFactory = (attempt: number) => RedisSubscriber;

/** Back-off between attempts to subscribe again, so a channel is back within this of Redis. */
const MAX_RETRY_DELAY_MS = 1000;

/**
 * Revocations over Redis pub/sub. Publishing goes through the store's command connection
 * (`PUBLISH`; on a cluster it reaches every node over the cluster bus); subscribing needs a
 * connection of its own, since a subscribed node-redis connection runs no other command.
 *
 * The subscriber does not reconnect by itself: this channel does, on a fresh connection each time
 * (the next node, on a cluster), and reports `down` and `up` around each outage.
 */
export class RedisRevocationChannel implements RevocationChannel {
    readonly #name: string;
    readonly #publish: (args: string[]) => Promise<unknown>;
    readonly #newSubscriber: RedisSubscriberFactory;
    readonly #publishCommand: 'PUBLISH' | 'SPUBLISH';
    #subscriber?: RedisSubscriber;
    #listening = false;
    #closed = false;

    /** `SPUBLISH` for a sharded channel, whose subscribers SSUBSCRIBE (see redisShardedChannel.ts). */
    constructor(name: string, publish: (args: string[]) => Promise<unknown>, newSubscriber: RedisSubscriberFactory, publishCommand: 'PUBLISH' | 'SPUBLISH' = 'PUBLISH') {
        this.#name = name;
        this.#publishCommand = publishCommand;
        this.#publish = publish;
        this.#newSubscriber = newSubscriber;
    }

    async publish(event: RevocationEvent, origin: string): Promise<void> {
        await this.#publish([this.#publishCommand, this.#name, encodeRevocationEvent(event, origin)]);
    }

    subscribe(listener: RevocationListener): void {
        if (this.#listening) throw new Error('tsrpc-session: a revocation channel has one subscriber');
        this.#listening = true;
        void this.#listen(listener);
    }

    async close(): Promise<void> {
        this.#closed = true;
        if (this.#subscriber) destroyQuietly(this.#subscriber);
        this.#subscriber = undefined;
    }

    async #listen(listener: RevocationListener): Promise<void> {
        for (let failures = 0; !this.#closed; failures++) {
            const subscriber = this.#newSubscriber(failures);
            this.#subscriber = subscriber;
            const lost = new Promise<string>(resolve => subscriber.on('error', e => resolve(e?.message ?? String(e))));
            let reason: string;
            try {
                await subscriber.connect();
                await subscriber.subscribe(this.#name, message => {
                    const decoded = decodeRevocationEvent(message);
                    if (decoded) listener.event(decoded.event, decoded.origin);
                });
                if (this.#closed) break;
                failures = -1;
                listener.up();
                reason = await lost;
            } catch (e) {
                reason = (e as Error)?.message ?? String(e);
            }
            destroyQuietly(subscriber);
            if (this.#closed) break;
            listener.down(reason);
            await sleep(Math.min(50 * 2 ** Math.max(failures, 0), MAX_RETRY_DELAY_MS), undefined, { ref: false });
        }
    }
}

function destroyQuietly(subscriber: RedisSubscriber): void {
    try {
        subscriber.destroy();
    } catch {
        // Never connected, or already gone.
    }
}
