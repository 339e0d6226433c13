import http from 'http';

const CALL_TIMEOUT_MS = 30_000;

/**
 * A keep-alive HTTP client on one socket that calls as any session of the population: the cookie
 * goes in each request's `__cookie`, as the tsrpc-session client jar puts it.
 */
export class SessionCaller {
    readonly #agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    readonly #port: number;

    constructor(port: number) {
        this.#port = port;
    }

    /** The call's `res`; rejects when the call failed, so a benchmark never counts an error as a call. */
    call(api: string, req: object, sid: string): Promise<Record<string, unknown>> {
        const body = JSON.stringify({ ...req, __cookie: { sid } });
        return new Promise((resolve, reject) => {
            const request = http.request({
                host: '127.0.0.1', port: this.#port, path: `/${api}`, method: 'POST', agent: this.#agent, timeout: CALL_TIMEOUT_MS,
                headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
            }, response => {
                let text = '';
                response.setEncoding('utf8');
                response.on('data', chunk => { text += chunk; });
                response.on('end', () => {
                    const ret = JSON.parse(text) as { isSucc: boolean; res?: Record<string, unknown>; err?: { message: string } };
                    if (ret.isSucc) resolve(ret.res ?? {});
                    else reject(new Error(ret.err?.message ?? 'call failed'));
                });
                response.on('error', reject);
            });
            request.on('timeout', () => request.destroy(new Error(`no answer within ${CALL_TIMEOUT_MS} ms`)));
            request.on('error', reject);
            request.end(body);
        });
    }

    close(): void {
        this.#agent.destroy();
    }
}
