import net from 'net';

/** What the stand-in does with each connection: closes it, holds it without a word, or forwards it to a real server. */
export type StandInMode = 'refuse' | 'silent' | { forwardTo: { host: string; port: number } };

/**
 * A TCP listener standing where MongoDB would be (MongoDB's protocol is not faked): it counts the
 * connections the driver makes, and can switch from refusing them to keeping them silent, or to
 * forwarding them to a real server (test:mongo).
 */
export class MongoStandIn {
    mode: StandInMode = 'refuse';
    /** Connections accepted so far: each is one attempt of the driver to reach the server. */
    connections = 0;
    readonly #server = net.createServer(socket => this.#accept(socket));
    readonly #sockets = new Set<net.Socket>();

    static async start(): Promise<MongoStandIn> {
        const standIn = new MongoStandIn();
        await new Promise<void>(resolve => standIn.#server.listen(0, '127.0.0.1', resolve));
        return standIn;
    }

    get port(): number {
        return (this.#server.address() as net.AddressInfo).port;
    }

    get uri(): string {
        return `mongodb://127.0.0.1:${this.port}/?directConnection=true`;
    }

    async stop(): Promise<void> {
        for (const socket of this.#sockets) socket.destroy();
        await new Promise<void>(resolve => this.#server.close(() => resolve()));
    }

    #accept(socket: net.Socket): void {
        this.connections++;
        const { mode } = this;
        if (mode === 'refuse') {
            socket.destroy();
            return;
        }
        this.#sockets.add(socket);
        socket.on('close', () => this.#sockets.delete(socket));
        socket.on('error', () => socket.destroy());
        if (mode === 'silent') return;
        const upstream = net.connect(mode.forwardTo);
        this.#sockets.add(upstream);
        upstream.on('close', () => { this.#sockets.delete(upstream); socket.destroy(); });
        upstream.on('error', () => upstream.destroy());
        socket.on('close', () => upstream.destroy());
        socket.pipe(upstream).pipe(socket);
    }
}
