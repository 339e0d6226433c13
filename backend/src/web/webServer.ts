import { createReadStream } from 'fs';
import { stat } from 'fs/promises';
import { createServer, IncomingMessage, Server, ServerResponse } from 'http';
import { AddressInfo } from 'net';
import { extname, join, resolve, sep } from 'path';
import type { Duplex } from 'stream';
import { API_PATH, WEB_SOCKET_PATH } from '../../../shared/pageConfig';
import { checkedHost, contentSecurityPolicy } from './contentSecurityPolicy';
import { forwardHttp, forwardUpgrade, Upstream } from './forwarding';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
    '.html': 'text/html; charset=utf-8',
    '.js': 'text/javascript; charset=utf-8',
    '.css': 'text/css; charset=utf-8',
    '.map': 'application/json; charset=utf-8',
    '.json': 'application/json; charset=utf-8',
    '.svg': 'image/svg+xml',
    '.png': 'image/png',
    '.ico': 'image/x-icon',
};

export interface WebServerOptions {
    /** The folder served, e.g. frontend/dist. */
    root: string;
    /** 0 picks a free port. */
    port: number;
    host: string;
    /**
     * The API servers `/api/…` requests and `/ws` upgrades are forwarded to. Read per request, so
     * API servers started after the web server (on port 0) can be named; while undefined, the API
     * paths answer 503.
     */
    api: () => ApiUpstreams | undefined;
    /** Serve source maps (`.map`), which show the page's source: development only. @defaultValue false */
    development?: boolean;
}

/** The example's two API servers, on this machine. */
export interface ApiUpstreams {
    http: Upstream;
    ws: Upstream;
}

export interface WebServer {
    /** The origin the page and its API are served from, e.g. http://127.0.0.1:8080. */
    origin: string;
    stop(): Promise<void>;
}

/**
 * The example's one origin: the built page (GET and HEAD of files under `root` only, with their
 * content types and a Content-Security-Policy), `/api/…` forwarded to the HTTP API server and the
 * WebSocket upgrade on `/ws` to the WebSocket server. One origin is what lets the session ride
 * an HttpOnly cookie: TSRPC's browser client sends no credentials to another origin.
 */
export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
    const root = resolve(options.root);
    const server = createServer((req, res) => {
        if (req.url?.startsWith(API_PATH)) return forwardToApi(options, req, res);
        serveFile(root, options, req, res).catch(() => send(res, 500, 'Internal error'));
    });
    // Upgraded sockets leave the HTTP server's books: closeAllConnections() does not see them.
    const webSockets = new Set<Duplex>();
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
        webSockets.add(socket);
        socket.once('close', () => webSockets.delete(socket));
        socket.on('error', () => socket.destroy());
        forwardWebSocket(options, req, socket, head);
    });
    await new Promise<void>((ok, fail) => {
        server.once('error', fail);
        server.listen(options.port, options.host, () => { server.off('error', fail); ok(); });
    });
    const { port } = server.address() as AddressInfo;
    return {
        origin: `http://${options.host}:${port}`,
        stop() {
            for (const socket of webSockets) socket.destroy();
            return close(server);
        },
    };
}

function forwardToApi(options: WebServerOptions, req: IncomingMessage, res: ServerResponse): void {
    const api = options.api();
    if (!api) return send(res, 503, 'The API server is not running');
    forwardHttp(req, res, api.http);
}

function forwardWebSocket(options: WebServerOptions, req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const api = options.api();
    const path = req.url?.split('?')[0];
    if (path !== WEB_SOCKET_PATH || !api) {
        socket.end(`HTTP/1.1 ${api ? '404 Not Found' : '503 Service Unavailable'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
        return;
    }
    forwardUpgrade(req, socket, head, api.ws);
}

async function serveFile(root: string, options: WebServerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
    // The policy names the page's own host, as the browser called it.
    const host = checkedHost(req.headers.host);
    if (!host) return send(res, 400, 'Bad Host header');
    res.setHeader('Content-Security-Policy', contentSecurityPolicy(host));
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Referrer-Policy', 'no-referrer');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.setHeader('Allow', 'GET, HEAD');
        return send(res, 405, 'Method not allowed');
    }
    const file = resolveFile(root, req.url ?? '/');
    const extension = file === undefined ? '' : extname(file);
    const type = extension === '.map' && !options.development ? undefined : CONTENT_TYPES[extension];
    const info = file === undefined || type === undefined ? undefined : await stat(file).catch(() => undefined);
    if (!file || !type || !info?.isFile()) return send(res, 404, 'Not found');
    res.writeHead(200, { 'Content-Type': type, 'Content-Length': info.size, 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff' });
    if (req.method === 'HEAD') return void res.end();
    createReadStream(file).on('error', () => res.destroy()).pipe(res);
}

/** The file a URL path names inside `root`, or undefined for anything that would leave it. */
function resolveFile(root: string, url: string): string | undefined {
    let path: string;
    try {
        path = decodeURIComponent(new URL(url, 'http://localhost').pathname);
    } catch {
        return undefined;
    }
    if (path.includes('\0')) return undefined;
    const file = resolve(join(root, path.endsWith('/') ? `${path}index.html` : path));
    return file.startsWith(root + sep) ? file : undefined;
}

function send(res: ServerResponse, status: number, text: string): void {
    if (res.headersSent) return void res.destroy();
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
    res.end(text);
}

function close(server: Server): Promise<void> {
    const closed = new Promise<void>((ok, fail) => server.close(e => (e ? fail(e) : ok())));
    // Browsers keep connections alive; without this, close() waits for them to time out.
    server.closeAllConnections();
    return closed;
}
