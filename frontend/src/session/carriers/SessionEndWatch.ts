import type { BaseClient } from 'tsrpc-base-client';
import type { BaseServiceType } from 'tsrpc-proto';
import { sessionEndOf, SessionEndReason } from '../../../../shared/sessionEnd';

/** What it uses of a WebSocket client (tsrpc, tsrpc-browser or tsrpc-miniapp). */
export interface ReconnectableClient {
    readonly flows: Pick<BaseClient<BaseServiceType>['flows'], 'postConnectFlow' | 'postDisconnectFlow'>;
    readonly isConnected: boolean;
    connect(): Promise<{ isSucc: boolean }>;
    readonly logger?: { warn(...args: unknown[]): void } | undefined;
}

export interface SessionEndHandlers {
    /** Drops what the client holds of the ended session; the next call waits for it. */
    forgetSession(): Promise<void>;
    /** The app's callback, once per such close, after `forgetSession`. */
    onSessionEnded: ((reason: SessionEndReason) => void) | undefined;
}

/**
 * Follows a WebSocket client's closes. When the server closes it because its session ended or was
 * revoked, the session is forgotten, the app is told, and the next call reconnects first, so it
 * runs without that session instead of failing as "WebSocket is not connected". A manual
 * disconnect or any other close changes nothing.
 */
export class SessionEndWatch {
    readonly #client: ReconnectableClient;
    readonly #handlers: SessionEndHandlers;
    /** From a session-end close until a connection opens again. */
    #reconnectBeforeCall = false;
    #forgetting: Promise<void> = Promise.resolve();

    constructor(client: ReconnectableClient, handlers: SessionEndHandlers) {
        this.#client = client;
        this.#handlers = handlers;
        client.flows.postConnectFlow.push(v => {
            this.#reconnectBeforeCall = false;
            return v;
        });
        client.flows.postDisconnectFlow.push(v => {
            const reason = v.isManual ? undefined : sessionEndOf(v.reason);
            if (reason) this.#ended(reason);
            return v;
        });
    }

    /** Run before each call: waits until the ended session is forgotten, and reconnects if needed. */
    async beforeCall(): Promise<void> {
        await this.#forgetting;
        if (!this.#reconnectBeforeCall || this.#client.isConnected) return;
        // A failed reconnect leaves the socket closed: the call then fails as TSRPC fails it. A
        // throw here would leave the call pending forever, so even a client's broken connect() cannot.
        try {
            await this.#client.connect();
        } catch (e) {
            this.#client.logger?.warn('[tsrpc-session] reconnecting after the session ended failed:', e);
        }
    }

    #ended(reason: SessionEndReason): void {
        this.#reconnectBeforeCall = true;
        const forgetting = this.#handlers.forgetSession();
        this.#forgetting = forgetting;
        void forgetting.then(() => {
            try {
                this.#handlers.onSessionEnded?.(reason);
            } catch (e) {
                this.#client.logger?.warn('[tsrpc-session] onSessionEnded threw:', e);
            }
        });
    }
}
