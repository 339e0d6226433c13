import { RevocationChannel, RevocationListener } from './RevocationChannel';

/**
 * Revocations among the plugins of one process that share a store object (MemoryStore): never
 * down, delivered on the next microtask like a message from outside would be.
 */
export class LocalRevocationHub {
    readonly #listeners = new Set<RevocationListener>();

    open(): RevocationChannel {
        const listeners = this.#listeners;
        let own: RevocationListener | undefined;
        return {
            async publish(event, origin) {
                for (const listener of [...listeners]) queueMicrotask(() => listener.event(event, origin));
            },
            subscribe(listener) {
                if (own) throw new Error('tsrpc-session: a revocation channel has one subscriber');
                own = listener;
                listeners.add(listener);
                queueMicrotask(() => listener.up());
            },
            async close() {
                if (own) listeners.delete(own);
            },
        };
    }
}
