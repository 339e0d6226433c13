import { TsrpcError } from '../plugin/tsrpcError';

/** Codes of the errors sealed mode answers with. */
export const SealedErrorCode = Object.freeze({
    /** The feature needs a shared store (or `sealed.denyList`), which sealed mode has not. */
    Unsupported: 'SESSION_SEALED_UNSUPPORTED',
    /** The write would make the seal too large for its carrier; the session is left as before. */
    TooLarge: 'SESSION_SEALED_TOO_LARGE',
});

export function sealedUnsupportedError(feature: string): TsrpcError {
    return new TsrpcError(`tsrpc-session: ${feature} is not available in sealed mode`, {
        type: TsrpcError.Type.ServerError,
        code: SealedErrorCode.Unsupported,
    });
}

export function sealTooLargeError(bytes: number, limit: number, key: string | undefined): TsrpcError {
    const cause = key === undefined ? '' : `; key '${key}' grew it`;
    return new TsrpcError(`tsrpc-session: the sealed session would take ${bytes} bytes of its cookie, over the limit of ${limit}${cause}`, {
        type: TsrpcError.Type.ServerError,
        code: SealedErrorCode.TooLarge,
        ...(key !== undefined && { key }),
    });
}
