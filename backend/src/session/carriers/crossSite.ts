import type { IncomingHttpHeaders } from 'http';
import type { HttpConnection, HttpServer } from 'tsrpc';
import { refuseAtConnect, refuseUnparsed } from '../guards/httpRefusal';
import { TsrpcError } from '../plugin/tsrpcError';
import type { SessionTelemetry } from '../observability/telemetry';

/** The error code of a call refused by the CSRF check of carrier `httpCookie`. */
export const CROSS_SITE_REQUEST = 'CROSS_SITE_REQUEST';

/** The close reason of a cross-site WebSocket upgrade that carried the session cookie (code 1008). */
export const CROSS_SITE_WEBSOCKET_REASON = 'tsrpc-session: cross-site WebSocket refused';

/**
 * Whether a request may carry an ambient session cookie (CSRF). Browsers say where a request comes
 * from (`Sec-Fetch-Site`, else `Origin`) and pages cannot forge either; clients that are not
 * browsers send neither and cannot ride a victim's cookie anyway.
 */
export function isAllowedRequest(headers: IncomingHttpHeaders, trustedOrigins: ReadonlySet<string>): boolean {
    const { origin } = headers;
    // Sandboxed frames, data: URLs and some redirects: no origin to trust.
    if (origin === 'null') return false;
    if (origin !== undefined && trustedOrigins.has(origin)) return true;
    const site = headers['sec-fetch-site'];
    if (site !== undefined) return site === 'same-origin' || site === 'none';
    return origin === undefined || isOriginOfHost(origin, headers.host);
}

/**
 * A request a browser sent from a page of this origin: the session cookie goes back to it as an
 * HttpOnly cookie only, never where page scripts could read it. A trusted origin is not one: TSRPC's
 * browser client sends no credentials to another origin, so such a page keeps its session in the body.
 */
export function isSameOriginBrowser(headers: IncomingHttpHeaders): boolean {
    if (headers['sec-fetch-site'] === 'same-origin') return true;
    const { origin } = headers;
    return origin !== undefined && origin !== 'null' && isOriginOfHost(origin, headers.host);
}

function isOriginOfHost(origin: string, host: string | undefined): boolean {
    if (host === undefined) return false;
    const schemeEnd = origin.indexOf('://');
    return schemeEnd > 0 && origin.slice(schemeEnd + 3).toLowerCase() === host.toLowerCase();
}

/**
 * Refuses every request to an HttpServer that fails the check, before TSRPC reads it: HTTP 403 and
 * a TSRPC error CROSS_SITE_REQUEST; no handler runs, nothing is stored, no cookie is set.
 */
export function refuseCrossSiteRequests(server: HttpServer<any>, trustedOrigins: ReadonlySet<string>, telemetry?: SessionTelemetry): void {
    server.flows.postConnectFlow.push(conn => {
        const http = conn as HttpConnection<any>;
        const { headers } = http.httpReq;
        if (isAllowedRequest(headers, trustedOrigins)) return conn;
        telemetry?.csrfRefused('http');
        // Not answered at all for a preflight TSRPC answered itself (refuseUnparsed sees its headers sent).
        refuseAtConnect(http.httpReq, () => {
            conn.logger.warn('[CrossSiteRefused]', http.httpReq.method, http.httpReq.url, 'origin:', headers.origin, 'sec-fetch-site:', headers['sec-fetch-site']);
            const err = new TsrpcError('Cross-site request refused', { type: TsrpcError.Type.ApiError, code: CROSS_SITE_REQUEST });
            refuseUnparsed(server, http, 403, err);
        });
        return conn;
    });
}
