import { createServer, IncomingMessage, Server } from 'http';
import { AddressInfo } from 'net';
import WebSocket from 'ws';

/** What reached the attacker: every HTTP request with its body, every WebSocket upgrade and message. */
export interface AttackerLog {
    requests: { method: string; url: string; body: string }[];
    upgrades: { url: string; origin?: string }[];
    messages: string[];
}

export interface AttackerServer {
    httpUrl: string;
    wsUrl: string;
    log: AttackerLog;
    /** Everything received, as one string to search for a password or a session id. */
    readonly received: string;
    stop(): Promise<void>;
}

/**
 * A real server standing in for another host a link could point the page at: it accepts anything
 * from any origin (CORS wide open), answers every call with success, and keeps what it was sent.
 */
export async function startAttackerServer(): Promise<AttackerServer> {
    const log: AttackerLog = { requests: [], upgrades: [], messages: [] };
    const http = createServer((req, res) => {
        readBody(req).then(body => {
            log.requests.push({ method: req.method ?? '', url: req.url ?? '', body });
            res.writeHead(200, {
                'Access-Control-Allow-Origin': '*',
                'Access-Control-Allow-Headers': '*',
                'Content-Type': 'application/json',
            });
            res.end(req.method === 'OPTIONS' ? '' : JSON.stringify({ isSucc: true, res: {} }));
        }, () => res.destroy());
    });
    const wsHttp = createServer();
    const wss = new WebSocket.Server({ server: wsHttp });
    wss.on('connection', (socket, req) => {
        log.upgrades.push({ url: req.url ?? '', origin: req.headers.origin });
        socket.on('message', data => log.messages.push(String(data)));
    });
    await Promise.all([listen(http), listen(wsHttp)]);
    return {
        httpUrl: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
        wsUrl: `ws://127.0.0.1:${(wsHttp.address() as AddressInfo).port}`,
        log,
        get received() {
            return JSON.stringify(log);
        },
        async stop() {
            for (const client of wss.clients) client.terminate();
            await new Promise<void>(ok => wss.close(() => ok()));
            await Promise.all([close(http), close(wsHttp)]);
        },
    };
}

function readBody(req: IncomingMessage): Promise<string> {
    return new Promise((ok, fail) => {
        const chunks: Buffer[] = [];
        req.on('data', chunk => chunks.push(chunk)).on('end', () => ok(Buffer.concat(chunks).toString('utf8'))).on('error', fail);
    });
}

function listen(server: Server): Promise<void> {
    return new Promise(ok => server.listen(0, '127.0.0.1', () => ok()));
}

function close(server: Server): Promise<void> {
    server.closeAllConnections();
    return new Promise(ok => server.close(() => ok()));
}
