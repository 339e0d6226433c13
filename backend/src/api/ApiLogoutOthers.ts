import { ApiCall, TsrpcError } from 'tsrpc';
import { ReqLogoutOthers, ResLogoutOthers } from '../../../shared/protocols/PtlLogoutOthers';

export async function ApiLogoutOthers(call: ApiCall<ReqLogoutOthers, ResLogoutOthers>) {
    if (await call.session.get('userId') === undefined) throw new TsrpcError('Log in first', { code: 'NOT_LOGGED_IN' });
    await call.session.revokeOtherDevices();
    await call.succ({});
}
