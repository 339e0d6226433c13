import { SessionErrorCode } from '../plugin/errors';
import { TsrpcError } from '../plugin/tsrpcError';

export function sealedUnsupportedError(feature: string): TsrpcError {
    return new TsrpcError(`tsrpc-session: ${feature} is not available in sealed mode`, {
        type: TsrpcError.Type.ServerError,
        code: SessionErrorCode.SealedUnsupported,
    });
}

export function sealTooLargeError(bytes: number, limit: number, key: string | undefined): TsrpcError {
    const cause = key === undefined ? '' : `; key '${key}' grew it`;
    return new TsrpcError(`tsrpc-session: the sealed session would take ${bytes} bytes of its cookie, over the limit of ${limit}${cause}`, {
        type: TsrpcError.Type.ServerError,
        code: SessionErrorCode.SealedTooLarge,
        ...(key !== undefined && { key }),
    });
}
