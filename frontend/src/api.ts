import { ApiReturn, HttpClient, TsrpcError, TsrpcErrorType, WsClient } from 'tsrpc-browser';
import { serviceProto, ServiceType } from '../../shared/protocols/serviceProto';
import { PageConfig, Transport } from './config';
import { CookieJar, enableCookies } from 'tsrpc-session/client';

export type ApiName = keyof ServiceType['api'];
export type ApiReq<K extends ApiName> = ServiceType['api'][K]['req'];
export type ApiRes<K extends ApiName> = ServiceType['api'][K]['res'];

/**
 * The example's API over HTTP or WebSocket, switchable at any time. Both clients share one jar
 * (namespace = the HTTP URL): the two servers are one app with one session store, so a login made
 * over HTTP holds over WebSocket too.
 */
export class ExampleApi {
    readonly jar: CookieJar;
    #transport: Transport;
    readonly #http: HttpClient<ServiceType>;
    readonly #ws: WsClient<ServiceType>;
    #connecting?: Promise<ApiReturn<never> | undefined>;

    constructor(readonly config: PageConfig) {
        this.#transport = config.transport;
        // Not logged to the console: requests carry the password and the session id.
        this.#http = new HttpClient(serviceProto, { server: config.httpUrl, logApi: false });
        this.#ws = new WsClient(serviceProto, { server: config.wsUrl, logApi: false });
        const cookies = { namespace: config.httpUrl };
        this.jar = enableCookies(this.#http, cookies);
        enableCookies(this.#ws, cookies);
    }

    get transport(): Transport {
        return this.#transport;
    }

    get serverUrl(): string {
        return this.#transport === 'ws' ? this.config.wsUrl : this.config.httpUrl;
    }

    switchTo(transport: Transport): void {
        this.#transport = transport;
        if (transport === 'http' && this.#ws.isConnected) void this.#ws.disconnect();
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

/** What the person reads when a call fails. */
export function describeError(err: TsrpcError, serverUrl: string): string {
    if (err.type === TsrpcErrorType.NetworkError) return `Cannot reach the server at ${serverUrl}. Is it running?`;
    return err.message;
}
