import { RedisRevocationChannel, RedisSubscriber } from './RedisRevocationChannel';
import { RevocationChannel, RevocationEvent, RevocationListener } from './RevocationChannel';
import { tagOfKey } from './sessionTags';

/** A subscriber to one sharded channel (SSUBSCRIBE), on the node that serves the channel's slot. */
export type ShardedSubscriberFactory = (channel: string, attempt: number) => RedisSubscriber;

/** What the sharded channel needs of the store's connection. */
export interface ShardedConnection {
    send(key: string, args: string[]): Promise<unknown>;
    readonly newShardedSubscriber?: ShardedSubscriberFactory;
}

/**
 * Channels the revocations of a cluster spread over: each has a slot of its own (its hash tag), so
 * publishing spreads over the shards, and every server subscribes to all of them.
 */
export const SHARDED_CHANNELS = 8;

/**
 * Revocations on a cluster that spreads sessions: sharded pub/sub (SPUBLISH/SSUBSCRIBE, Redis 7+).
 * A plain PUBLISH goes to every node of the cluster over its bus; an SPUBLISH only to the shard
 * serving its channel, so the cluster's pub/sub work grows with the shards instead of with every
 * node hearing every message. Undefined when the connection cannot open sharded subscribers.
 */
export function shardedRevocationChannel(prefix: string, connection: ShardedConnection): RevocationChannel | undefined {
    const factory = connection.newShardedSubscriber;
    if (!factory) return undefined;
    const channels = Array.from({ length: SHARDED_CHANNELS }, (_, i) => {
        const name = `${prefix}{revocations-${i}}`;
        return new RedisRevocationChannel(name, args => connection.send(name, args), attempt => factory(name, attempt), 'SPUBLISH');
    });
    return new ShardedRevocationChannel(channels);
}

/** Several channels as one: an event goes out on one of them (by its key), and comes in from all. */
class ShardedRevocationChannel implements RevocationChannel {
    readonly #channels: RevocationChannel[];
    readonly #up = new Set<number>();
    #state: 'starting' | 'up' | 'down' = 'starting';

    constructor(channels: RevocationChannel[]) {
        this.#channels = channels;
    }

    publish(event: RevocationEvent, origin: string): Promise<void> {
        return this.#channels[channelIndex(event.key)].publish(event, origin);
    }

    /** Up once every channel is (an event may come on any); down as soon as one is not. */
    subscribe(listener: RevocationListener): void {
        this.#channels.forEach((channel, i) => channel.subscribe({
            event: (event, origin) => listener.event(event, origin),
            up: () => {
                this.#up.add(i);
                if (this.#up.size === this.#channels.length && this.#state !== 'up') {
                    this.#state = 'up';
                    listener.up();
                }
            },
            down: reason => {
                this.#up.delete(i);
                if (this.#state === 'down') return;
                this.#state = 'down';
                listener.down(reason);
            },
        }));
    }

    async close(): Promise<void> {
        await Promise.all(this.#channels.map(channel => channel.close()));
    }
}

/** The channel of a store key: by its slot tag, so a user's events share one. */
function channelIndex(key: string): number {
    const tag = tagOfKey(key) ?? key;
    let sum = 0;
    for (let i = 0; i < tag.length; i++) sum = (sum * 31 + tag.charCodeAt(i)) >>> 0;
    return sum % SHARDED_CHANNELS;
}

/** The Redis Cluster hash slot of `key` (CRC16/XMODEM of its hash tag, or of the whole key, mod 16384). */
export function keySlot(key: string): number {
    const open = key.indexOf('{');
    const close = open < 0 ? -1 : key.indexOf('}', open + 1);
    const hashed = Buffer.from(close > open + 1 ? key.slice(open + 1, close) : key, 'utf8');
    let crc = 0;
    for (const byte of hashed) {
        crc ^= byte << 8;
        for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    }
    return crc % 16384;
}
