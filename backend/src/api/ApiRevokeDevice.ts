import { ApiCall, TsrpcError } from 'tsrpc';
import { ReqRevokeDevice, ResRevokeDevice } from '../../../shared/protocols/PtlRevokeDevice';

export async function ApiRevokeDevice(call: ApiCall<ReqRevokeDevice, ResRevokeDevice>) {
    if (await call.session.get('userId') === undefined) throw new TsrpcError('Log in first', { code: 'NOT_LOGGED_IN' });
    if (!await call.session.revokeDevice(call.req.id)) throw new TsrpcError('No such device', { code: 'UNKNOWN_DEVICE' });
    await call.succ({});
}
