import { TsrpcError } from './tsrpcError';

/** Codes of the errors this plugin answers with; clients can switch on `err.code`. */
export const SessionErrorCode = Object.freeze({
    /** The store failed or did not answer within `storeTimeoutMs`; nothing of the call's session changes was kept. */
    StoreUnavailable: 'SESSION_STORE_UNAVAILABLE',
    /** `session.update()` lost the race for its key too many times in a row. */
    UpdateConflict: 'SESSION_UPDATE_CONFLICT',
});

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
