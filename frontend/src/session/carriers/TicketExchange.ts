import type { TicketExchangeOptions } from '../cookieOptions';

interface WarningLogger {
    warn(...args: unknown[]): void;
}

/**
 * Redeems the session tickets a WebSocket in `'httpCookie'` mode answers: each is posted to the
 * HTTP server, whose answer sets the HttpOnly cookie in the browser. One redemption at a time, in
 * the order the tickets arrived, so a later logout's ticket never lands before an earlier login's.
 */
export class TicketExchange {
    readonly #options: TicketExchangeOptions;
    readonly #logger: WarningLogger | undefined;
    #tail: Promise<void> = Promise.resolve();

    constructor(options: TicketExchangeOptions, logger: WarningLogger | undefined) {
        this.#options = options;
        this.#logger = logger;
    }

    /** Settles once the ticket is redeemed or has failed (logged); never rejects. */
    redeem(ticket: string): Promise<void> {
        const redeemed = this.#tail.then(() => this.#post(ticket)).catch(e => {
            this.#logger?.warn('[tsrpc-session] session ticket not redeemed, the HttpOnly cookie is unchanged:', e);
        });
        this.#tail = redeemed;
        return redeemed;
    }

    async #post(ticket: string): Promise<void> {
        const abort = new AbortController();
        const timer = setTimeout(() => abort.abort(), this.#options.timeoutMs);
        try {
            const res = await fetch(this.#options.url, {
                method: 'POST',
                credentials: 'same-origin',
                headers: { 'Content-Type': 'application/json' },
                body: JSON.stringify({ ticket }),
                signal: abort.signal,
            });
            const answer = await res.json().catch(() => undefined) as { isSucc?: unknown; err?: { message?: unknown; code?: unknown } } | undefined;
            if (!res.ok || answer?.isSucc !== true) {
                const err = answer?.err;
                throw new Error(`${this.#options.url} answered ${res.status}${err ? `: ${String(err.message)} (${String(err.code)})` : ''}`);
            }
        } finally {
            clearTimeout(timer);
        }
    }
}
