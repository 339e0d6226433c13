import { TsrpcError } from './tsrpcError';

/**
 * Every error code this plugin answers with, in one place; clients can switch on `err.code`.
 * The README's "Error codes" table says when each is answered and what a client should do.
 */
export const SessionErrorCode = Object.freeze({
    /** The store failed or did not answer within `storeTimeoutMs`; nothing of the call's session changes was kept. */
    StoreUnavailable: 'SESSION_STORE_UNAVAILABLE',
    /** `session.update()` lost the race for its key too many times in a row. */
    UpdateConflict: 'SESSION_UPDATE_CONFLICT',
    /** A request body (HTTP) or message (WebSocket) over `limitRequestSize`'s `maxBytes`. */
    RequestTooLarge: 'REQUEST_TOO_LARGE',
    /** A call refused by the CSRF check of carrier `httpCookie` (HTTP 403). */
    CrossSiteRequest: 'CROSS_SITE_REQUEST',
    /** A session ticket that is malformed, forged, expired or already redeemed. */
    TicketInvalid: 'SESSION_TICKET_INVALID',
    /** Sealed mode: the feature needs a shared store (or `sealed.denyList`), which sealed mode has not. */
    SealedUnsupported: 'SESSION_SEALED_UNSUPPORTED',
    /** Sealed mode: the write would make the seal too large for its carrier; the session is left as before. */
    SealedTooLarge: 'SESSION_SEALED_TOO_LARGE',
} as const);

/** One of the values of {@link SessionErrorCode}. */
export type SessionErrorCode = typeof SessionErrorCode[keyof typeof SessionErrorCode];

export function storeUnavailableError(): TsrpcError {
    return new TsrpcError('Session store unavailable, please retry', {
        type: TsrpcError.Type.ServerError,
        code: SessionErrorCode.StoreUnavailable,
    });
}

export function updateConflictError(key: string): TsrpcError {
    return new TsrpcError(`Session key '${key}' is being changed by other calls, please retry`, {
        type: TsrpcError.Type.ServerError,
        code: SessionErrorCode.UpdateConflict,
    });
}
