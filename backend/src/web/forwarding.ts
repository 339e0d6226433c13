import { IncomingHttpHeaders, IncomingMessage, request, ServerResponse } from 'http';
import { connect, Socket } from 'net';
import type { Duplex } from 'stream';

/** A server on this machine that requests are handed to. */
export interface Upstream {
    host: string;
    port: number;
    /**
     * Sent in `PROXY_SECRET_HEADER` with every forwarded request (a copy from the client is dropped),
     * so the upstream trusts `X-Forwarded-For` from this forwarder only, not from any local process.
     */
    proxySecret?: string;
}

/** The header that proves a request came through this forwarder (see `trustedClientAddress`). */
export const PROXY_SECRET_HEADER = 'x-example-proxy-secret';

/** Headers about one hop of the connection, never passed on to the next (RFC 9110 7.6.1). */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade']);

/**
 * Hands an HTTP request to `upstream` as it arrives and streams the answer back: method, path and
 * headers unchanged (`Host` included, so the upstream sees the origin the browser called), but
 * `X-Forwarded-For` set to the peer's address, replacing whatever the client wrote. An upstream
 * that cannot be reached, or fails before answering, is answered with 502.
 */
export function forwardHttp(req: IncomingMessage, res: ServerResponse, upstream: Upstream): void {
    const forwarded = request({
        host: upstream.host,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: withForwardedFor(endToEnd(req.headers), req, upstream),
    });
    let answered = false;
    forwarded.on('response', answer => {
        answered = true;
        res.writeHead(answer.statusCode ?? 502, answer.statusMessage, endToEnd(answer.headers));
        answer.pipe(res);
        answer.on('error', () => res.destroy());
    });
    forwarded.on('error', () => {
        // An upstream may answer before reading the whole body, then close (a refusal): the
        // request side fails, the answer stands; a broken answer fails on its own stream.
        if (answered) return;
        if (res.headersSent || res.destroyed) return void res.destroy();
        res.writeHead(502, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Bad gateway: the API server did not answer');
    });
    // A client that goes away takes its upstream request with it.
    res.on('close', () => {
        if (!res.writableFinished) forwarded.destroy();
    });
    req.pipe(forwarded);
}

/**
 * Hands a WebSocket upgrade (the request, and the bytes that came after it) to `upstream`, then
 * relays bytes both ways until either side ends; `X-Forwarded-For` as in `forwardHttp`. An
 * upstream that cannot be reached is answered with 502 and the client's socket closed.
 */
export function forwardUpgrade(req: IncomingMessage, client: Duplex, head: Buffer, upstream: Upstream): void {
    const server: Socket = connect(upstream.port, upstream.host);
    let connected = false;
    server.once('connect', () => {
        connected = true;
        server.write(requestHead(req, upstream));
        if (head.length > 0) server.write(head);
        server.pipe(client);
        client.pipe(server);
    });
    server.on('error', () => {
        if (!connected && client.writable) client.end('HTTP/1.1 502 Bad Gateway\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        else client.destroy();
    });
    client.on('error', () => server.destroy());
    // Either side's end or failure closes the other: no half-open socket stays behind.
    server.on('close', () => client.destroy());
    client.on('close', () => server.destroy());
}

function endToEnd(headers: IncomingHttpHeaders): IncomingHttpHeaders {
    const connectionTokens = new Set(String(headers.connection ?? '').toLowerCase().split(',').map(token => token.trim()));
    return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name) && !connectionTokens.has(name)));
}

function withForwardedFor(headers: IncomingHttpHeaders, req: IncomingMessage, upstream: Upstream): IncomingHttpHeaders {
    const { [PROXY_SECRET_HEADER]: _dropped, ...rest } = headers;
    return { ...rest, 'x-forwarded-for': req.socket.remoteAddress ?? '', ...(upstream.proxySecret !== undefined && { [PROXY_SECRET_HEADER]: upstream.proxySecret }) };
}

/** The upgrade request as it came (its Connection and Upgrade headers are this hop's purpose), with X-Forwarded-For and the proxy secret replaced. */
function requestHead(req: IncomingMessage, upstream: Upstream): string {
    const replaced = new Set(['x-forwarded-for', PROXY_SECRET_HEADER]);
    const lines = [`${req.method} ${req.url} HTTP/1.1`];
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
        if (!replaced.has(req.rawHeaders[i].toLowerCase())) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
    }
    lines.push(`X-Forwarded-For: ${req.socket.remoteAddress ?? ''}`);
    if (upstream.proxySecret !== undefined) lines.push(`${PROXY_SECRET_HEADER}: ${upstream.proxySecret}`);
    return `${lines.join('\r\n')}\r\n\r\n`;
}
