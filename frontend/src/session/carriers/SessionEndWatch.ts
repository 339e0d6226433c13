import type { BaseClient } from 'tsrpc-base-client';
import type { BaseServiceType } from 'tsrpc-proto';
import { sessionEndOf, SessionEndReason } from '../../../../shared/sessionEnd';

/** What it uses of a WebSocket client (tsrpc, tsrpc-browser or tsrpc-miniapp). */
export interface ReconnectableClient {
    readonly flows: Pick<BaseClient<BaseServiceType>['flows'], 'postConnectFlow' | 'postDisconnectFlow'>;
    readonly isConnected: boolean;
    connect(): Promise<{ isSucc: boolean }>;
    callApi(apiName: string, req: object, options?: object): Promise<CallReturn>;
    readonly logger?: { warn(...args: unknown[]): void } | undefined;
}

/** A call's return as the client's flows see it. */
export interface CallReturn {
    isSucc: boolean;
    err?: { type?: unknown; message?: unknown; code?: unknown };
}

/** How long a call that could not be sent waits for the socket's close to tell whether a session end caused it. */
const CLOSE_WAIT_MS = 2000;

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
            for (const waiter of [...this.#closeWaiters]) waiter(reason !== undefined);
            return v;
        });
    }

    /** Run before each call: waits until the ended session is forgotten, and reconnects if needed. */
    async beforeCall(): Promise<void> {
        await this.#forgetting;
        if (!this.#reconnectBeforeCall || this.#client.isConnected) return;
        // Calls resent together after one close share one reconnect: TSRPC's clients do not.
        this.#reconnecting ??= this.#reconnect().finally(() => { this.#reconnecting = undefined; });
        await this.#reconnecting;
    }

    #reconnecting: Promise<void> | undefined;

    async #reconnect(): Promise<void> {
        // A failed reconnect leaves the socket closed: the call then fails as TSRPC fails it. A
        // throw here would leave the call pending forever, so even a client's broken connect() cannot.
        try {
            await this.#client.connect();
        } catch (e) {
            this.#client.logger?.warn('[tsrpc-session] reconnecting after the session ended failed:', e);
        }
    }

    /**
     * Whether a call's return is the server closing the socket for a session end while the call was
     * on the wire. The server answers every call it runs before such a close and runs none after
     * deciding it, so the call never ran: it may be sent again, without the ended session.
     */
    async cutBySessionEnd(ret: CallReturn): Promise<boolean> {
        if (ret.isSucc || ret.err?.type !== 'NetworkError') return false;
        if (sessionEndOf(ret.err.message) !== undefined) return true;
        // Not sent: the socket was already closing. Why shows when its close arrives, a moment later.
        if (ret.err.code !== 'SEND_BUF_ERR') return false;
        return this.#reconnectBeforeCall || await this.#nextCloseEndsSession();
    }

    /** Whether the socket's next close, if it comes within {@link CLOSE_WAIT_MS}, is a session end. */
    #nextCloseEndsSession(): Promise<boolean> {
        return new Promise(resolve => {
            const timer = setTimeout(() => done(false), CLOSE_WAIT_MS);
            const done = (ended: boolean) => {
                clearTimeout(timer);
                this.#closeWaiters.delete(done);
                resolve(ended);
            };
            this.#closeWaiters.add(done);
        });
    }

    readonly #closeWaiters = new Set<(ended: boolean) => void>();

    /** Sends a call the session-end close cut off again, once (see {@link cutBySessionEnd}). */
    async resend(apiName: string, req: object, options: object | undefined): Promise<CallReturn> {
        const { __cookie: _endedSession, ...withoutCookies } = req as { __cookie?: unknown };
        const resent = { ...withoutCookies };
        this.markResent(resent);
        return this.#client.callApi(apiName, resent, options);
    }

    /** True for a request {@link resend} sent (as the client's flows pass it on): never resent twice. */
    wasResent(req: unknown): boolean {
        return typeof req === 'object' && req !== null && this.#resent.has(req);
    }

    markResent(req: object): void {
        this.#resent.add(req);
    }

    readonly #resent = new WeakSet<object>();

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
