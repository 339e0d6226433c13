import { inspect } from 'util';

const REDACTED_TICKET = '[ticket redacted]';

/**
 * `answer` (a response or a TsrpcError carrying `__sessionTicket`) printing its ticket as
 * "[ticket redacted]": TSRPC logs every response and error, and whoever reads a ticket within its
 * 30 seconds can redeem it for the session cookie. The wire form is unchanged (the encoders read
 * fields, not `inspect`).
 */
export function withTicketRedacted<T extends object>(answer: T): T {
    Object.defineProperty(answer, inspect.custom, {
        enumerable: false,
        value(this: T, depth: number, options: object) {
            // A copy without this hook (same prototype, so a TsrpcError still prints as one).
            const shown = Object.create(Object.getPrototypeOf(this) as object | null) as Record<string, unknown>;
            for (const key of Object.keys(this)) shown[key] = (this as Record<string, unknown>)[key];
            shown.__sessionTicket = REDACTED_TICKET;
            return inspect(shown, { ...options, depth });
        },
    });
    return answer;
}
