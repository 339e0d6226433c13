import http from 'http';
import type { BenchApi } from '../scenarios';
import type { BenchClient } from './BenchClient';
import { BodyCookies } from './bodyCookies';
import type { CookieLoad, SessionCarrier } from '../scenarios';
import { HeaderSession } from './headerSession';

/**
 * Where a framework carries cookies: TSRPC in the JSON body (`__cookie` out, `res.__cookie`
 * changes back, what the scenario's load says), its session id there too or in a header
 * (`session`), express in the Cookie / Set-Cookie headers.
 */
export type CookieCarrier = { body: CookieLoad; session: SessionCarrier } | 'header';

const CALL_TIMEOUT_MS = 10_000;

/**
 * The same minimal keep-alive HTTP client drives TSRPC and express: a JSON POST to `/<api>` on one
 * socket of its own. Both frameworks then pay the same client cost; only the cookie carriage differs.
 */
export class RawHttpClient implements BenchClient {
    readonly #agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    /** Header cookies (express); body cookies (TSRPC) live in #bodyCookies. */
    readonly #jar = new Map<string, string>();
    readonly #bodyCookies: BodyCookies | undefined;
    /** The session id, when a TSRPC scenario carries it in a header instead of the body. */
    readonly #headerSession: HeaderSession | undefined;
    readonly #port: number;

    constructor(port: number, carrier: CookieCarrier) {
        this.#port = port;
        const tsrpc = carrier === 'header' ? undefined : carrier;
        const inHeader = tsrpc && tsrpc.session !== 'body' ? tsrpc.session : undefined;
        this.#bodyCookies = tsrpc && new BodyCookies(tsrpc.body, inHeader === undefined);
        this.#headerSession = tsrpc && inHeader && new HeaderSession(inHeader, tsrpc.body);
    }

    async call(api: BenchApi | 'Setup' | 'SessionEnd', req: object): Promise<void> {
        const bodyCookies = this.#bodyCookies;
        const withCookies = bodyCookies ? bodyCookies.attach(req) : req;
        const { status, headers, setCookie, body } = await this.#post(`/${api}`, JSON.stringify(withCookies));
        if (status !== 200) throw new Error(`HTTP ${status}: ${body}`);
        this.#headerSession?.merge(headers);
        if (bodyCookies) bodyCookies.merge(JSON.parse(body));
        else for (const line of setCookie) this.#setFromHeader(line);
    }

    async close(): Promise<void> {
        this.#agent.destroy();
    }

    #setFromHeader(line: string): void {
        const end = line.indexOf(';');
        const pair = end === -1 ? line : line.slice(0, end);
        const eq = pair.indexOf('=');
        if (eq > 0) this.#jar.set(pair.slice(0, eq), pair.slice(eq + 1));
    }

    #post(path: string, body: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; setCookie: string[]; body: string }> {
        const headers: http.OutgoingHttpHeaders = { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) };
        this.#headerSession?.addTo(headers);
        if (!this.#bodyCookies && this.#jar.size > 0) {
            headers.Cookie = [...this.#jar].map(([name, value]) => `${name}=${value}`).join('; ');
        }
        return new Promise((resolve, reject) => {
            const request = http.request({ host: '127.0.0.1', port: this.#port, path, method: 'POST', agent: this.#agent, headers, timeout: CALL_TIMEOUT_MS }, response => {
                let text = '';
                response.setEncoding('utf8');
                response.on('data', chunk => { text += chunk; });
                response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, setCookie: response.headers['set-cookie'] ?? [], body: text }));
                response.on('error', reject);
            });
            request.on('timeout', () => request.destroy(new Error(`no answer within ${CALL_TIMEOUT_MS} ms`)));
            request.on('error', reject);
            request.end(body);
        });
    }
}
