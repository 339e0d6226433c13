import { ApiCall } from 'tsrpc';
import { ReqLogout, ResLogout } from '../../../shared/protocols/PtlLogout';

export async function ApiLogout(call: ApiCall<ReqLogout, ResLogout>) {
    await call.session.destroy();
    await call.succ({});
}
