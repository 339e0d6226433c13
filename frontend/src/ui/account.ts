import type { PublicUser } from '../../../shared/protocols/models/PublicUser';
import { h } from './dom';

export interface AccountActions {
    login(username: string, password: string): Promise<void>;
    logout(): Promise<void>;
}

/** The login form, or who is logged in with a way out. */
export function renderAccount(root: HTMLElement, user: PublicUser | undefined, actions: AccountActions): void {
    if (user) {
        root.replaceChildren(
            h('h2', {}, 'Account'),
            h('div', { className: 'signed-in' },
                h('span', { className: 'avatar', ariaHidden: 'true' }, user.name.slice(0, 1)),
                h('p', {}, 'Signed in as ', h('strong', {}, user.name)),
                h('button', { type: 'button', className: 'secondary', onclick: () => actions.logout() }, 'Log out'),
            ),
        );
        return;
    }
    const username = h('input', { id: 'username', name: 'username', autocomplete: 'username', required: true, value: 'alice' });
    const password = h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
    const form = h('form', { className: 'login' },
        h('label', { htmlFor: 'username' }, 'Username'), username,
        h('label', { htmlFor: 'password' }, 'Password'), password,
        h('button', { type: 'submit' }, 'Log in'),
    );
    form.addEventListener('submit', event => {
        event.preventDefault();
        void actions.login(username.value, password.value);
    });
    root.replaceChildren(
        h('h2', {}, 'Account'),
        h('p', { className: 'muted' }, 'Not signed in. Try ', h('code', {}, 'alice / wonderland'), ' or ', h('code', {}, 'bob / builder'), '.'),
        form,
    );
}
