import { ApiCall, TsrpcError } from 'tsrpc';
import { SessionErrorCode } from 'tsrpc-session/server';
import { CartLine } from '../../../shared/protocols/models/CartLine';
import { ReqAddToCart, ResAddToCart } from '../../../shared/protocols/PtlAddToCart';

const MAX_CART_LINES = 100;
const MAX_QUANTITY = 1000;

export async function ApiAddToCart(call: ApiCall<ReqAddToCart, ResAddToCart>) {
    const { item, quantity } = call.req;
    if (item.trim() === '' || item.length > 100) throw new TsrpcError('Item must be 1 to 100 characters', { code: 'BAD_ITEM' });
    if (!Number.isInteger(quantity) || quantity < 1 || quantity > MAX_QUANTITY) {
        throw new TsrpcError(`Quantity must be a whole number from 1 to ${MAX_QUANTITY}`, { code: 'BAD_QUANTITY' });
    }
    await call.succ({ cart: await addToCart(call, item, quantity) });
}

/**
 * Atomic per key with a store: parallel adds to one cart all land. Sealed mode has no shared copy
 * to compare-and-set: a read and a write, and of two parallel adds the last reply's seal wins.
 */
async function addToCart(call: ApiCall<ReqAddToCart, ResAddToCart>, item: string, quantity: number): Promise<CartLine[]> {
    try {
        return await call.session.update('cart', (cart = []) => addLine(cart, item, quantity)) ?? [];
    } catch (e) {
        if (!(e instanceof TsrpcError) || e.code !== SessionErrorCode.SealedUnsupported) throw e;
        const cart = addLine(structuredClone(await call.session.get('cart')) ?? [], item, quantity);
        await call.session.set('cart', cart);
        return cart;
    }
}

function addLine(cart: CartLine[], item: string, quantity: number): CartLine[] {
    const line = cart.find(l => l.item === item);
    if (line) {
        line.quantity = Math.min(line.quantity + quantity, MAX_QUANTITY);
        return cart;
    }
    if (cart.length >= MAX_CART_LINES) throw new TsrpcError(`A cart holds at most ${MAX_CART_LINES} lines`, { code: 'CART_FULL' });
    return [...cart, { item, quantity }];
}
