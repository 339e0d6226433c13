import type http from 'http';
import type { CookieLoad, SessionCarrier } from '../scenarios';
import { FIXED_SID } from '../server/ipc';

/** The plugin's defaults, which the benchmark servers keep (a Secure cookie is a `__Host-` cookie). */
const SESSION_HEADER = 'x-session-id';
const SESSION_COOKIE = '__Host-sid';
const SESSION_SET_COOKIE = new RegExp(`^${SESSION_COOKIE}=([^;]*)(.*)$`);

/**
 * The session id carried outside the body, as a curl script or a browser does it: in the session
 * header (`x-session-id`, answered in the same header) or in the Cookie header (answered with
 * Set-Cookie). A `fixed` load sends the same sid-shaped value on every call, whatever the answer.
 */
export class HeaderSession {
    readonly #carrier: Exclude<SessionCarrier, 'body'>;
    readonly #load: CookieLoad;
    #sid: string | undefined;

    constructor(carrier: Exclude<SessionCarrier, 'body'>, load: CookieLoad) {
        this.#carrier = carrier;
        this.#load = load;
        if (load === 'fixed') this.#sid = FIXED_SID;
    }

    addTo(headers: http.OutgoingHttpHeaders): void {
        if (this.#sid === undefined) return;
        if (this.#carrier === 'header') headers[SESSION_HEADER] = this.#sid;
        else headers.Cookie = `${SESSION_COOKIE}=${this.#sid}`;
    }

    /** Follows the session changes of an answer (a `session` load only). */
    merge(headers: http.IncomingHttpHeaders): void {
        if (this.#load !== 'session') return;
        if (this.#carrier === 'header') {
            const value = headers[SESSION_HEADER];
            if (typeof value === 'string') this.#sid = value === '' ? undefined : value;
            return;
        }
        for (const line of headers['set-cookie'] ?? []) {
            const match = SESSION_SET_COOKIE.exec(line);
            if (match) this.#sid = match[1] === '' || /;\s*Max-Age=0(;|$)/i.test(match[2]) ? undefined : match[1];
        }
    }
}
