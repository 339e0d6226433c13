import { IncomingMessage } from 'http';
import { ApiCall, TsrpcError } from 'tsrpc';
import { ReqLogin, ResLogin } from '../../../shared/protocols/PtlLogin';
import { LoginGuard } from '../hardening/loginGuard';
import { checkPassword } from '../demo/users';

/** Longest username kept as a throttling key: any longer is no user's anyway. */
const MAX_USERNAME_KEY = 128;

/** The Login API, throttled by `guard` (one per app, so its counts cover HTTP and WebSocket alike). */
export function makeApiLogin(guard: LoginGuard) {
    return async function ApiLogin(call: ApiCall<ReqLogin, ResLogin>) {
        const { username, password } = call.req;
        const user = await guard.check(username.slice(0, MAX_USERNAME_KEY), clientAddress(call), () => checkPassword(username, password));
        if (!user) throw new TsrpcError('Wrong username or password', { code: 'BAD_CREDENTIALS' });
        // A login starts from clean data: only an anonymous visitor's cart (or the same user's) comes along,
        // so nothing of one user's session reaches the next user of the same browser.
        const previousUser = await call.session.get('userId');
        const cart = previousUser === undefined || previousUser === user.id ? await call.session.get('cart') : undefined;
        // A new id on every privilege change: an id planted before login is dead after it.
        await call.session.regenerate({ keepData: false });
        if (cart?.length) await call.session.set('cart', cart);
        await call.session.set('userId', user.id);
        await call.succ({ user });
    };
}

/**
 * The address the login came from. A browser's calls reach the API servers through the page's web
 * server (or a load balancer) on this machine, which writes the browser's address into
 * `X-Forwarded-For`: trusted only from a loopback peer, and only its last entry (the one the
 * nearest proxy saw; TSRPC's `conn.ip` takes the first, which the client writes). Otherwise, the
 * socket's peer (HTTP, or a WebSocket's upgrade).
 */
function clientAddress(call: ApiCall): string {
    const httpReq = (call.conn as { httpReq?: IncomingMessage }).httpReq;
    const peer = httpReq?.socket?.remoteAddress;
    if (peer === undefined) return 'in-process';
    const forwardedFor = httpReq?.headers['x-forwarded-for'];
    const nearest = isLoopback(peer) && typeof forwardedFor === 'string' ? forwardedFor.split(',').pop()?.trim() : undefined;
    return nearest || peer;
}

function isLoopback(address: string): boolean {
    return address === '::1' || /^(::ffff:)?127\./.test(address);
}
