import type { IncomingMessage } from 'http';
import type { ApiCall, HttpConnection, HttpServer } from 'tsrpc';
import type { TsrpcError } from '../plugin/tsrpcError';

/** What TSRPC's error encoder needs of a service when the request was never parsed. */
const UNPARSED_SERVICE = { type: 'api', name: '?', id: 0, reqSchemaId: '?', resSchemaId: '?' } as const;

/**
 * For a refusal decided in `postConnectFlow`: the request is paused before TSRPC listens, so its
 * listener never gets the body, and `refuse` runs once TSRPC has set its headers (CORS).
 */
export function refuseAtConnect(httpReq: IncomingMessage, refuse: () => void): void {
    httpReq.pause();
    setImmediate(refuse);
}

/**
 * Answers an HTTP request with a TSRPC error before TSRPC has read it (JSON or binary, as the
 * client speaks), and closes the connection: its unread body must not be taken for the next request.
 */
export function refuseUnparsed(server: HttpServer<any>, conn: HttpConnection<any>, status: number, err: TsrpcError): void {
    const { httpReq, httpRes } = conn;
    if (httpRes.headersSent) return;
    // TSRPC's own encoder (the connection's ApiCall class, protected in its typings), from the very
    // build the server runs on: this package never loads tsrpc at run time.
    const encoder = (conn as unknown as { ApiCallClass: typeof ApiCall }).ApiCallClass;
    const encoded = encoder.encodeApiReturn(server.tsbuffer, UNPARSED_SERVICE, { isSucc: false, err }, conn.dataType);
    httpRes.statusCode = status;
    httpRes.setHeader('Connection', 'close');
    if (conn.dataType === 'text') httpRes.setHeader('Content-Type', 'application/json; charset=utf-8');
    // TSRPC reports a request whose body never ended as a broken socket; this one was refused on purpose.
    httpReq.rawBody = Buffer.alloc(0);
    httpRes.end(encoded.isSucc ? encoded.output : undefined);
}
