import { ApiCall, TsrpcError } from 'tsrpc';
import { ReqLogin, ResLogin } from '../../../shared/protocols/PtlLogin';
import { checkPassword } from '../demo/users';

export async function ApiLogin(call: ApiCall<ReqLogin, ResLogin>) {
    const user = await checkPassword(call.req.username, call.req.password);
    if (!user) {
        throw new TsrpcError('Wrong username or password', { code: 'BAD_CREDENTIALS' });
    }
    // A new id on every privilege change: an id planted before login is dead after it.
    await call.session.regenerate();
    await call.session.set('userId', user.id);
    await call.succ({ user });
}
