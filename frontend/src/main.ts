import type { ApiReturn } from 'tsrpc-browser';
import type { CartLine } from '../../shared/protocols/models/CartLine';
import type { Device } from '../../shared/protocols/models/Device';
import type { PublicUser } from '../../shared/protocols/models/PublicUser';
import { describeError, ExampleApi } from './api';
import { readConfig, Transport, urlWithTransport } from './config';
import { renderAccount } from './ui/account';
import { renderDevices } from './ui/devices';
import { byId } from './ui/dom';
import { renderShop } from './ui/shop';
import { renderStoredCookies } from './ui/storedCookies';

const notice = byId('notice');
// A logout or revocation elsewhere closed this page's WebSocket: show what is left.
const api = new ExampleApi(readConfig(location), () => void refresh());
/** Tells this browser's other tabs of the example that the session cookie changed (they cannot see it change). */
const sessionChanges = new BroadcastChannel('tsrpc-session-example');
const state: { user?: PublicUser; cart: CartLine[]; devices?: Device[] } = { cart: [] };

/** A call's result, or undefined after showing its error on the page. */
async function run<T>(call: Promise<ApiReturn<T>>): Promise<T | undefined> {
    document.body.setAttribute('aria-busy', 'true');
    const ret = await call;
    document.body.removeAttribute('aria-busy');
    if (ret.isSucc) return ret.res;
    notice.textContent = describeError(ret.err, api.serverUrl);
    notice.hidden = false;
    return undefined;
}

/** Each user action starts with a clean slate: an old error does not linger over a new result. */
function action<A extends unknown[]>(fn: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
    return (...args) => {
        notice.hidden = true;
        return fn(...args);
    };
}

async function loadDevices(): Promise<void> {
    state.devices = state.user ? (await run(api.call('ListDevices', {})))?.devices : undefined;
}

async function refresh(): Promise<void> {
    const [me, cart] = await Promise.all([run(api.call('GetMe', {})), run(api.call('GetCart', {}))]);
    // Unreachable server: show nobody rather than a stale login.
    state.user = me?.user;
    state.cart = cart?.cart ?? [];
    await loadDevices();
    render();
}

/** After a call that changed who is logged in: this tab and the others show it. */
async function sessionChanged(): Promise<void> {
    sessionChanges.postMessage('changed');
    await refresh();
}

const actions = {
    login: action(async (username: string, password: string) => {
        if (await run(api.call('Login', { username, password }))) await sessionChanged();
    }),
    logout: action(async () => {
        if (await run(api.call('Logout', {}))) await sessionChanged();
    }),
    add: action(async (item: string) => {
        const res = await run(api.call('AddToCart', { item, quantity: 1 }));
        if (res) state.cart = res.cart;
        render();
    }),
    revoke: action(async (id: string) => {
        if (await run(api.call('RevokeDevice', { id }))) await sessionChanged();
    }),
    logoutOthers: action(async () => {
        if (await run(api.call('LogoutOthers', {}))) await sessionChanged();
    }),
    refresh: action(refresh),
    switchTo: action(async (transport: Transport) => {
        api.switchTo(transport);
        history.replaceState(null, '', urlWithTransport(location, transport));
        await refresh();
    }),
};

function render(): void {
    renderAccount(byId('account'), state.user, actions);
    renderShop(byId('shop'), state.cart, actions);
    renderDevices(byId('devices'), state.devices, actions);
    byId('server').textContent = api.serverUrl;
    void api.jar.getAll().then(cookies => renderStoredCookies(byId('stored'), cookies), () => renderStoredCookies(byId('stored'), {}));
}

document.querySelectorAll<HTMLInputElement>('input[name="transport"]').forEach(input => {
    input.checked = input.value === api.transport;
    input.addEventListener('change', () => actions.switchTo(input.value as Transport));
});
byId('refresh').addEventListener('click', () => actions.refresh());
// Another tab logged in or out: its cookie is this tab's, but this tab's WebSocket was opened with the old one.
sessionChanges.addEventListener('message', () => void api.closeWebSocket().then(refresh));
void refresh();
