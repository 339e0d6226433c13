// A new user's server: only the package's public entry points.
import { HttpServer, WsServer } from './tsrpcRuntime.js';
import { enableSession, MemoryStore } from 'tsrpc-session/server';
import { serviceProto, ServiceType } from './shared/protocols/serviceProto.js';

declare module 'tsrpc-session/server' {
    interface SessionData {
        userId: string;
        visits: number;
    }
}

const [httpPort = 3000, wsPort = 3001] = process.argv.slice(2).map(Number);
const http = new HttpServer(serviceProto, { port: httpPort, json: true, logLevel: 'warn' });
const ws = new WsServer(serviceProto, { port: wsPort, logLevel: 'warn' });
enableSession([http, ws], { secrets: ['a consumer secret of at least thirty-two bytes'], store: new MemoryStore() });

for (const server of [http, ws] as (HttpServer<ServiceType> | WsServer<ServiceType>)[]) {
    server.implementApi('Login', async call => {
        await call.session.regenerate({ keepData: false });
        await call.session.set('userId', call.req.username);
        await call.succ({ userId: call.req.username });
    });
    server.implementApi('Visit', async call => {
        const visits: number = await call.session.update('visits', (v = 0) => v + 1);
        await call.succ({ visits });
    });
    server.implementApi('Me', async call => {
        const userId = await call.session.get('userId');
        const visits = await call.session.get('visits');
        await call.succ({ ...(userId !== undefined && { userId }), ...(visits !== undefined && { visits }) });
    });
}

Promise.all([http.start(), ws.start()]).then(() => console.log('listening'), e => {
    console.error(e);
    process.exit(1);
});
process.once('SIGTERM', () => {
    Promise.all([http.stop(), ws.stop()]).then(() => process.exit(0), () => process.exit(1));
});
