import { IncomingMessage } from 'http';
import { ApiCall, TsrpcError } from 'tsrpc';
import { ReqLogin, ResLogin } from '../../../shared/protocols/PtlLogin';
import { trustedClientAddress } from '../hardening/clientAddress';
import { DEVICE_COOKIE, DEVICE_COOKIE_MAX_AGE_MS, DeviceCookies } from '../hardening/deviceCookies';
import { LoginGuard } from '../hardening/loginGuard';
import { checkPassword } from '../demo/users';

/** Longest username kept as a throttling key: any longer is no user's anyway. */
const MAX_USERNAME_KEY = 128;

/** What Login needs besides the call: one of each per app, so its counts cover HTTP and WebSocket alike. */
export interface LoginDependencies {
    guard: LoginGuard;
    devices: DeviceCookies;
    /** The secret the example's forwarder proves itself with (see trustedClientAddress); undefined trusts no forwarder. */
    proxySecret?: string;
}

/** The Login API, throttled by `guard`; a successful login marks the client's device (DEVICE_COOKIE). */
export function makeApiLogin({ guard, devices, proxySecret }: LoginDependencies) {
    return async function ApiLogin(call: ApiCall<ReqLogin, ResLogin>) {
        const { username, password } = call.req;
        const usernameKey = username.slice(0, MAX_USERNAME_KEY);
        const device = devices.deviceOf(usernameKey, call.cookie.get(DEVICE_COOKIE));
        const user = await guard.check(usernameKey, clientAddress(call, proxySecret), () => checkPassword(username, password), device);
        if (!user) throw new TsrpcError('Wrong username or password', { code: 'BAD_CREDENTIALS' });
        // A login starts from clean data: only an anonymous visitor's cart (or the same user's) comes along,
        // so nothing of one user's session reaches the next user of the same browser.
        const previousUser = await call.session.get('userId');
        const cart = previousUser === undefined || previousUser === user.id ? await call.session.get('cart') : undefined;
        // A new id on every privilege change: an id planted before login is dead after it.
        await call.session.regenerate({ keepData: false });
        if (cart?.length) await call.session.set('cart', cart);
        await call.session.set('userId', user.id);
        if (device === undefined) call.cookie.set(DEVICE_COOKIE, devices.issue(usernameKey), { maxAgeMs: DEVICE_COOKIE_MAX_AGE_MS });
        await call.succ({ user });
    };
}

/** The address the login came from (HTTP, or a WebSocket's upgrade); 'in-process' without a socket. */
function clientAddress(call: ApiCall, proxySecret: string | undefined): string {
    const httpReq = (call.conn as { httpReq?: IncomingMessage }).httpReq;
    if (httpReq?.socket?.remoteAddress === undefined) return 'in-process';
    return trustedClientAddress(httpReq, proxySecret);
}
