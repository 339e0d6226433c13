import assert from 'assert';
import { execFileSync } from 'child_process';
import WebSocket from 'ws';
import { LoadBalanced, startLoadBalanced } from '../../scripts/load-balancer';
import { TEST_SECRETS } from '../helpers/sessionServer';
import { deleteKeys, REDIS_URL, testPrefix } from '../stores/redisHelpers';
import { freePort } from '../helpers/freePort';

/** What the issue promises: sockets on other servers close within this of the revocation. */
const PROMISED_MS = 1000;

interface Answer {
    upstream: string;
    ret: { isSucc: boolean; res?: any; err?: any };
}

/** A call through the balancer with the session cookie as the cookie jar would attach it. */
async function call(baseUrl: string, api: string, body: object, sid?: string): Promise<Answer> {
    const response = await fetch(`${baseUrl}/${api}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ ...body, ...(sid && { __cookie: { sid } }) }),
        signal: AbortSignal.timeout(10_000),
    });
    return { upstream: response.headers.get('x-upstream') ?? '', ret: await response.json() };
}

/** A WebSocket through the balancer: which server holds it, and the reason it was closed with. */
class Socket {
    upstream = '';
    readonly closed: Promise<string>;
    #socket!: WebSocket;
    #sn = 0;

    private constructor(closed: Promise<string>) {
        this.closed = closed;
    }

    static open(url: string): Promise<Socket> {
        return new Promise((resolve, reject) => {
            const socket = new WebSocket(url);
            const wrapper = new Socket(new Promise(done => socket.once('close', (_code, reason) => done(reason.toString()))));
            wrapper.#socket = socket;
            socket.once('upgrade', response => { wrapper.upstream = String(response.headers['x-upstream']); });
            socket.once('open', () => resolve(wrapper));
            socket.once('error', reject);
        });
    }

    call(api: string, body: object, sid: string): Promise<any> {
        const sn = ++this.#sn;
        return new Promise(resolve => {
            const onMessage = (data: WebSocket.Data) => {
                const [, ret, answeredSn] = JSON.parse(data.toString());
                if (answeredSn !== sn) return;
                this.#socket.off('message', onMessage);
                resolve(ret);
            };
            this.#socket.on('message', onMessage);
            this.#socket.send(JSON.stringify([api, { ...body, __cookie: { sid } }, sn]));
        });
    }

    /** Resolves with the close reason if the server closes it within `ms`, else rejects. */
    closedWithin(ms: number): Promise<string> {
        return Promise.race([
            this.closed,
            new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`socket on ${this.upstream} still open ${ms} ms later`)), ms).unref()),
        ]);
    }

    close(): void {
        this.#socket.terminate();
    }
}

function nginxAvailable(): string | undefined {
    try {
        execFileSync('nginx', ['-v'], { stdio: 'ignore' });
        return undefined;
    } catch (e) {
        return (e as Error).message;
    }
}

describe('three example servers on one Redis behind nginx (round robin, WebSocket upgrades passed through)', function () {
    this.timeout(90_000);
    let lb: LoadBalanced | undefined;
    const prefix = testPrefix('lb');
    const sockets: Socket[] = [];
    /** "server 2" for either of its ports, to show which server answered. */
    const serverOf = new Map<string, string>();

    before(async function () {
        const missing = nginxAvailable();
        if (missing) {
            console.log(`      load-balancer test skipped: nginx is not installed (${missing}); .ci/run installs it`);
            this.skip();
        }
        const ports = await Promise.all(Array.from({ length: 7 }, () => freePort()));
        for (let i = 0; i < 3; i++) for (const port of [ports[1 + 2 * i], ports[2 + 2 * i]]) serverOf.set(`127.0.0.1:${port}`, `server ${i + 1}`);
        lb = await startLoadBalanced({
            redisUrl: REDIS_URL,
            redisPrefix: prefix,
            secrets: TEST_SECRETS,
            lbPort: ports[0],
            servers: [0, 1, 2].map(i => ({ httpPort: ports[1 + 2 * i], wsPort: ports[2 + 2 * i] })),
        });
    });
    after(async () => {
        for (const socket of sockets) socket.close();
        await lb?.stop();
        await deleteKeys(prefix);
    });

    async function login(): Promise<string> {
        const { ret } = await call(lb!.url.http, 'Login', { username: 'bob', password: 'builder' });
        assert.ok(ret.isSucc, JSON.stringify(ret));
        return ret.res.__cookie.sid.value;
    }

    /** One socket on each server, each bound to the session by a call. */
    async function socketOnEachServer(sid: string): Promise<Socket[]> {
        const opened: Socket[] = [];
        for (let i = 0; i < 3; i++) opened.push(await Socket.open(lb!.url.ws));
        sockets.push(...opened);
        assert.deepStrictEqual(opened.map(s => serverOf.get(s.upstream)).sort(), ['server 1', 'server 2', 'server 3']);
        for (const socket of opened) {
            const me = await socket.call('GetMe', {}, sid);
            assert.strictEqual(me.res?.user?.id, 'u2', JSON.stringify(me));
        }
        return opened;
    }

    it('a logged-in client\'s calls land on all three servers, each of which knows its session', async () => {
        const sid = await login();
        const answers = await Promise.all(Array.from({ length: 6 }, () => call(lb!.url.http, 'GetMe', {}, sid)));
        for (const { ret } of answers) assert.strictEqual(ret.res?.user?.name, 'Bob', JSON.stringify(ret));
        const upstreams = new Set(answers.map(a => serverOf.get(a.upstream)));
        console.log(`      6 calls answered by ${answers.map(a => serverOf.get(a.upstream)).join(', ')}`);
        assert.strictEqual(upstreams.size, 3);
    });

    it('RevokeDevice through one server closes that device\'s sockets on all three within 1 s; Logout likewise', async () => {
        const phone = await login();
        const laptop = await login();
        const phoneSockets = await socketOnEachServer(phone);
        const listed = await call(lb!.url.http, 'ListDevices', {}, laptop);
        const handle = listed.ret.res.devices.find((d: { current: boolean }) => !d.current).id;

        const revoked = phoneSockets.map(s => s.closedWithin(PROMISED_MS));
        const revoke = await call(lb!.url.http, 'RevokeDevice', { id: handle }, laptop);
        assert.deepStrictEqual(revoke.ret, { isSucc: true, res: {} });
        assert.deepStrictEqual(await Promise.all(revoked), Array(3).fill('tsrpc-session: session revoked'));
        console.log(`      RevokeDevice answered by ${serverOf.get(revoke.upstream)}; the phone's sockets on ${phoneSockets.map(s => serverOf.get(s.upstream)).join(', ')} closed`);

        const laptopSockets = await socketOnEachServer(laptop);
        const ended = laptopSockets.map(s => s.closedWithin(PROMISED_MS));
        const logout = await call(lb!.url.http, 'Logout', {}, laptop);
        assert.strictEqual(logout.ret.isSucc, true);
        assert.deepStrictEqual(await Promise.all(ended), Array(3).fill('tsrpc-session: session ended'));
    });
});
