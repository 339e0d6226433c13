import type { BaseServer, HttpServer, WsServer } from 'tsrpc';

// Told apart by shape, not `instanceof`: this package never loads tsrpc at run time (an app's
// servers may come from its CommonJS or its ES module build).

export function isWsServer(server: BaseServer<any>): server is WsServer<any> {
    return typeof (server as unknown as Partial<WsServer<any>>).broadcastMsg === 'function';
}

export function isHttpServer(server: BaseServer<any>): server is HttpServer<any> {
    // Only HttpServer's constructor sets `jsonHostPath`, and always.
    const options = server.options as unknown as Partial<HttpServer<any>['options']> | undefined;
    return !isWsServer(server) && typeof options?.jsonHostPath === 'string';
}

/** Options TSRPC reads at `start()` can still be changed. */
export function isStarted(server: BaseServer<any>): boolean {
    return String(server.status) !== 'CLOSED';
}
