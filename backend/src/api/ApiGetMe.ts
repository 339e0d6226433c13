import { ApiCall } from 'tsrpc';
import { ReqGetMe, ResGetMe } from '../../../shared/protocols/PtlGetMe';
import { findUser } from '../demo/users';

export async function ApiGetMe(call: ApiCall<ReqGetMe, ResGetMe>) {
    const userId = await call.session.get('userId');
    await call.succ({ user: userId === undefined ? undefined : findUser(userId) });
}
