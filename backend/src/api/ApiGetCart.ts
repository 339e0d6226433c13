import { ApiCall } from 'tsrpc';
import { ReqGetCart, ResGetCart } from '../../../shared/protocols/PtlGetCart';

export async function ApiGetCart(call: ApiCall<ReqGetCart, ResGetCart>) {
    await call.succ({ cart: (await call.session.get('cart')) ?? [] });
}
