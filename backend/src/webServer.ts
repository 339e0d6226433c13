import { createReadStream } from 'fs';
import { readFile, stat } from 'fs/promises';
import { createServer, IncomingMessage, Server, ServerResponse } from 'http';
import { AddressInfo } from 'net';
import { extname, join, resolve, sep } from 'path';
import type { PageApiAddresses } from '../../shared/pageConfig';
import { checkedApiAddresses, contentSecurityPolicy, htmlWithApiAddresses } from './pageAddresses';

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
     * The API servers the page calls, written into the page and its Content-Security-Policy. Read
     * per request, so API servers started after the web server (on port 0) can be named.
     */
    api: () => PageApiAddresses;
    /** Serve source maps (`.map`), which show the page's source: development only. @defaultValue false */
    development?: boolean;
}

export interface WebServer {
    /** The origin pages are served from, e.g. http://127.0.0.1:8080: what the API's CORS must allow. */
    origin: string;
    stop(): Promise<void>;
}

/**
 * Serves the built example page: GET and HEAD of files under `root` only, with their content types,
 * the page's API addresses written into its HTML, and a Content-Security-Policy on every answer.
 */
export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
    const root = resolve(options.root);
    const server = createServer((req, res) => {
        serveFile(root, options, req, res).catch(() => send(res, 500, 'Internal error'));
    });
    await new Promise<void>((ok, fail) => {
        server.once('error', fail);
        server.listen(options.port, options.host, () => { server.off('error', fail); ok(); });
    });
    const { port } = server.address() as AddressInfo;
    return { origin: `http://${options.host}:${port}`, stop: () => close(server) };
}

async function serveFile(root: string, options: WebServerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const api = checkedApiAddresses(options.api());
    if (!api) return send(res, 503, 'The API addresses of this page are not configured');
    res.setHeader('Content-Security-Policy', contentSecurityPolicy(api));
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
    const headers = { 'Content-Type': type, 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff' };
    if (extension === '.html') {
        const html = Buffer.from(htmlWithApiAddresses(await readFile(file, 'utf8'), api));
        res.writeHead(200, { ...headers, 'Content-Length': html.length });
        return void res.end(req.method === 'HEAD' ? undefined : html);
    }
    res.writeHead(200, { ...headers, 'Content-Length': info.size });
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
