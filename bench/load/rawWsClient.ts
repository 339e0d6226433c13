import WebSocket from 'ws';
import type { BenchApi, CookieLoad } from '../scenarios';
import type { BenchClient } from './BenchClient';
import { BodyCookies } from './bodyCookies';

const CALL_TIMEOUT_MS = 10_000;

/**
 * A minimal WebSocket client speaking TSRPC's JSON frames (`[api, body, sn]`), one socket each.
 * Bare and plugin scenarios then pay the same small client cost, so the ratio shows the server's.
 */
export class RawWsClient implements BenchClient {
    readonly #socket: WebSocket;
    readonly #cookies: BodyCookies;
    readonly #pending = new Map<number, { resolve: (ret: any) => void; reject: (e: Error) => void }>();
    #sn = 0;

    private constructor(socket: WebSocket, cookies: CookieLoad) {
        this.#socket = socket;
        this.#cookies = new BodyCookies(cookies);
        socket.on('message', data => {
            const [, ret, sn] = JSON.parse(data.toString());
            this.#pending.get(sn)?.resolve(ret);
            this.#pending.delete(sn);
        });
        socket.on('close', () => {
            for (const { reject } of this.#pending.values()) reject(new Error('socket closed'));
            this.#pending.clear();
        });
    }

    static connect(port: number, cookies: CookieLoad): Promise<RawWsClient> {
        return new Promise((resolve, reject) => {
            const socket = new WebSocket(`ws://127.0.0.1:${port}`);
            socket.once('open', () => resolve(new RawWsClient(socket, cookies)));
            socket.once('error', reject);
        });
    }

    async call(api: BenchApi | 'Setup' | 'SessionEnd', req: object): Promise<void> {
        const sn = ++this.#sn;
        const ret = await new Promise<any>((resolve, reject) => {
            const timer = setTimeout(() => {
                this.#pending.delete(sn);
                reject(new Error(`no answer within ${CALL_TIMEOUT_MS} ms`));
            }, CALL_TIMEOUT_MS);
            this.#pending.set(sn, {
                resolve: value => { clearTimeout(timer); resolve(value); },
                reject: e => { clearTimeout(timer); reject(e); },
            });
            this.#socket.send(JSON.stringify([api, this.#cookies.attach(req), sn]));
        });
        this.#cookies.merge(ret);
    }

    close(): Promise<void> {
        if (this.#socket.readyState === WebSocket.CLOSED) return Promise.resolve();
        return new Promise(resolve => {
            this.#socket.once('close', () => resolve());
            this.#socket.close();
        });
    }
}
