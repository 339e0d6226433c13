import WebSocket from 'ws';

/** Raw calls that bypass the tsrpc client (and its validation): what a hostile client can send. */

export interface RawReturn {
    isSucc: boolean;
    res?: any;
    err?: { message: string; code?: string; type?: string; [key: string]: unknown };
}

/** POST a JSON body to a TSRPC HttpServer (json enabled), as any HTTP client could. */
export async function postJson(baseUrl: string, apiName: string, body: string | object): Promise<RawReturn> {
    const response = await fetch(`${baseUrl}/${apiName}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: typeof body === 'string' ? body : JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
    });
    return JSON.parse(await response.text());
}

/**
 * Sends JSON text frames `[apiName, body, sn]` over one WebSocket. Resolves each call with its
 * return, or with the close reason when the server closes the socket instead of answering.
 */
export class RawWsJson {
    readonly #socket: WebSocket;
    readonly #pending = new Map<number, (ret: RawReturn) => void>();
    /** Resolves with the close reason once the socket is closed, by either side. */
    readonly closed: Promise<string>;
    #sn = 0;
    #closeReason: string | undefined;
    #closeCode: number | undefined;

    private constructor(socket: WebSocket) {
        this.#socket = socket;
        socket.on('message', data => {
            const [, ret, sn] = JSON.parse(data.toString());
            this.#pending.get(sn)?.(ret);
            this.#pending.delete(sn);
        });
        let closed: (reason: string) => void;
        this.closed = new Promise(resolve => { closed = resolve; });
        socket.on('close', (code, reason) => {
            this.#closeCode = code;
            this.#closeReason = reason.toString() || 'closed';
            closed(this.#closeReason);
            for (const resolve of this.#pending.values()) resolve({ isSucc: false, err: { message: this.#closeReason, code: 'CLOSED' } });
            this.#pending.clear();
        });
    }

    /** `options` carry what a handshake may: headers (Cookie, a session header), an origin. */
    static open(url: string, options?: WebSocket.ClientOptions): Promise<RawWsJson> {
        return new Promise((resolve, reject) => {
            const socket = new WebSocket(url, options);
            socket.once('open', () => resolve(new RawWsJson(socket)));
            socket.once('error', reject);
        });
    }

    get closeReason(): string | undefined {
        return this.#closeReason;
    }

    get closeCode(): number | undefined {
        return this.#closeCode;
    }

    call(apiName: string, body: unknown): Promise<RawReturn> {
        if (this.#closeReason !== undefined) return Promise.resolve({ isSucc: false, err: { message: this.#closeReason, code: 'CLOSED' } });
        const sn = ++this.#sn;
        return new Promise(resolve => {
            this.#pending.set(sn, resolve);
            this.#socket.send(JSON.stringify([apiName, body, sn]));
        });
    }

    /** Sends any text frame as it is. */
    sendText(text: string): void {
        this.#socket.send(text);
    }

    close(): Promise<void> {
        if (this.#socket.readyState === WebSocket.CLOSED) return Promise.resolve();
        return new Promise(resolve => {
            this.#socket.once('close', () => resolve());
            this.#socket.close();
        });
    }
}
