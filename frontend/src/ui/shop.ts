import type { CartLine } from '../../../shared/protocols/models/CartLine';
import { h } from './dom';

const PRODUCTS = ['Green tea', 'Espresso', 'Croissant', 'Notebook'];

export interface ShopActions {
    add(item: string): Promise<void>;
}

/** Products and the session's cart; the cart lives on the server, never in the browser. */
export function renderShop(root: HTMLElement, cart: readonly CartLine[], actions: ShopActions): void {
    const count = cart.reduce((sum, line) => sum + line.quantity, 0);
    root.replaceChildren(
        h('h2', {}, 'Shop'),
        h('ul', { className: 'products' }, ...PRODUCTS.map(item => h('li', {},
            h('span', {}, item),
            h('button', { type: 'button', className: 'small', ariaLabel: `Add ${item}`, onclick: () => actions.add(item) }, 'Add'),
        ))),
        h('h3', {}, 'Cart ', h('span', { className: 'badge', id: 'cart-count' }, String(count))),
        cart.length === 0
            ? h('p', { className: 'muted' }, 'Your cart is empty.')
            : h('ul', { className: 'cart', ariaLabel: 'Cart' }, ...cart.map(line => h('li', {},
                h('span', {}, line.item), h('span', { className: 'quantity' }, `× ${line.quantity}`),
            ))),
    );
}
