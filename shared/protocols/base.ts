/**
 * Wire format of tsrpc-session. Every protocol's request and response extend these, so the
 * cookies ride in the body on any transport (HTTP, WebSocket, inner calls).
 */

/** The client's live cookies, name → value. Sent on every call that has any. */
export type CookieValues = { [name: string]: string };

/**
 * One cookie change sent by the server.
 * `value: null` clears the cookie; otherwise the client stores `value`, for `maxAgeMs`
 * milliseconds when given, else until the server changes or clears it.
 */
export interface CookieUpdate {
    value: string | null;
    maxAgeMs?: number;
}

/** Only the cookies this call changed; also carried by `err.__cookie` when the call fails. */
export type CookieUpdates = { [name: string]: CookieUpdate };

export interface BaseRequest {
    __cookie?: CookieValues;
}

export interface BaseResponse {
    __cookie?: CookieUpdates;
    /**
     * Over a WebSocket whose session rides in an HttpOnly cookie, in place of the session cookie: a
     * one-time, short-lived ticket the client posts to the HTTP server, which answers it with the
     * cookie. The session id itself never reaches page scripts. Also carried by `err.__sessionTicket`.
     */
    __sessionTicket?: string;
}

export interface BaseConf {

}

export interface BaseMessage {

}
