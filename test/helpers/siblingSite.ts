import { createServer, Server } from 'http';
import { AddressInfo } from 'net';

/**
 * A second real web server on another port of the same host: what a sibling origin (another app on
 * the host, a sibling subdomain) serves. `/plant` answers a page whose script writes
 * `document.cookie` (query `js`, repeatable) and whose answer carries `Set-Cookie` (query `header`,
 * repeatable); the page's title turns to "planted" once the script ran.
 */
export interface SiblingSite {
    port: number;
    /** The planting page's URL on `host` (default 127.0.0.1). */
    plantUrl(plant: { js?: string[]; header?: string[] }, host?: string): string;
    stop(): Promise<void>;
}

export async function startSiblingSite(): Promise<SiblingSite> {
    const server: Server = createServer((req, res) => {
        const url = new URL(req.url ?? '/', 'http://sibling');
        if (url.pathname !== '/plant') {
            res.writeHead(404).end();
            return;
        }
        const script = url.searchParams.getAll('js').map(cookie => `document.cookie = ${JSON.stringify(cookie)};`).join('\n');
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Set-Cookie': url.searchParams.getAll('header') });
        res.end(`<!doctype html><title>planting</title><script>${script}\ndocument.title = 'planted';</script>`);
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return {
        port,
        plantUrl({ js = [], header = [] }, host = '127.0.0.1') {
            const query = new URLSearchParams([...js.map(v => ['js', v]), ...header.map(v => ['header', v])]);
            return `http://${host}:${port}/plant?${query}`;
        },
        stop: () => new Promise(resolve => server.close(() => resolve())),
    };
}
