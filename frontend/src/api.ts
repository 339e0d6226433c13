import { ApiReturn, HttpClient, TsrpcError, TsrpcErrorType, WsClient } from 'tsrpc-browser';
import { serviceProto, ServiceType } from '../../shared/protocols/serviceProto';
import { SESSION_EXCHANGE_URL } from '../../shared/pageConfig';
import { PageConfig, Transport } from './config';
import { CookieJar, enableCookies, SessionEndReason } from 'tsrpc-session/client';

export type ApiName = keyof ServiceType['api'];
export type ApiReq<K extends ApiName> = ServiceType['api'][K]['req'];
export type ApiRes<K extends ApiName> = ServiceType['api'][K]['res'];

/**
 * The example's API over HTTP or WebSocket, switchable at any time, both on the page's own origin.
 * The session rides the browser's HttpOnly cookie, which no script on the page can read: the HTTP
 * client's calls carry it, and so does the WebSocket's upgrade, so a login over either transport
 * is a login over both. A login over the WebSocket reaches the cookie through a one-time ticket the
 * client redeems at `/api/__session`. The jars hold app cookies only.
 */
export class ExampleApi {
    #transport: Transport;
    readonly #http: HttpClient<ServiceType>;
    readonly #ws: WsClient<ServiceType>;
    readonly #jars: Readonly<Record<Transport, CookieJar>>;
    #connecting?: Promise<ApiReturn<never> | undefined>;

    /** `onSessionEnded`: the server closed the WebSocket because the session ended or was revoked (a logout elsewhere). */
    constructor(readonly config: PageConfig, onSessionEnded: (reason: SessionEndReason) => void) {
        this.#transport = config.transport;
        // Not logged to the console: requests carry the password.
        this.#http = new HttpClient(serviceProto, { server: config.httpUrl, logApi: false });
        this.#ws = new WsClient(serviceProto, { server: config.wsUrl, logApi: false });
        this.#jars = {
            http: enableCookies(this.#http, { carrier: 'httpCookie' }),
            ws: enableCookies(this.#ws, { carrier: 'httpCookie', exchangeUrl: SESSION_EXCHANGE_URL, onSessionEnded }),
        };
    }

    /** The jar of the server the page talks to now. */
    get jar(): CookieJar {
        return this.#jars[this.#transport];
    }

    get transport(): Transport {
        return this.#transport;
    }

    get serverUrl(): string {
        return this.#transport === 'ws' ? this.config.wsUrl : this.config.httpUrl;
    }

    switchTo(transport: Transport): void {
        this.#transport = transport;
        if (transport === 'http') void this.closeWebSocket();
    }

    /**
     * Closes the WebSocket, if open; the next call over it opens a new one. A WebSocket is
     * authenticated by its upgrade, so after the session cookie changed elsewhere (a login in
     * another tab) only a new one carries the new cookie.
     */
    async closeWebSocket(): Promise<void> {
        if (this.#ws.isConnected) await this.#ws.disconnect();
    }

    async call<K extends ApiName>(name: K, req: Omit<ApiReq<K>, '__cookie'>): Promise<ApiReturn<ApiRes<K>>> {
        if (this.#transport === 'http') return this.#http.callApi(name, req as ApiReq<K>);
        const failed = await this.#connect();
        return failed ?? this.#ws.callApi(name, req as ApiReq<K>);
    }

    /** Connects the WebSocket once for concurrent callers; a failure comes back as a call's error. */
    #connect(): Promise<ApiReturn<never> | undefined> {
        if (this.#ws.isConnected) return Promise.resolve(undefined);
        this.#connecting ??= this.#ws.connect().then(ret => {
            this.#connecting = undefined;
            return ret.isSucc ? undefined : { isSucc: false, err: new TsrpcError(ret.errMsg, { type: TsrpcErrorType.NetworkError }) };
        });
        return this.#connecting;
    }
}

/** The page's web server answers for an API server it cannot reach. */
const GATEWAY_ERRORS: readonly (number | undefined)[] = [502, 503, 504];

/** What the person reads when a call fails. */
export function describeError(err: TsrpcError, serverUrl: string): string {
    if (err.type === TsrpcErrorType.NetworkError || GATEWAY_ERRORS.includes(err.httpCode)) return `Cannot reach the server at ${serverUrl}. Is it running?`;
    // Browsers do not read the body of a 413: name the refusal here.
    if (err.httpCode === 413) return 'That request is larger than the server accepts.';
    return err.message;
}
