// A new user's Node client: login, a session write and a read, over HTTP and WebSocket.
import { HttpClient, WsClient } from './tsrpcRuntime.js';
import { enableCookies, MemoryStorage } from 'tsrpc-session/client';
import { serviceProto, ServiceType } from './shared/protocols/serviceProto.js';

async function run(client: HttpClient<ServiceType> | WsClient<ServiceType>) {
    enableCookies(client, { storage: new MemoryStorage() });
    if (client instanceof WsClient) {
        const connected = await client.connect();
        if (!connected.isSucc) throw new Error(connected.errMsg);
    }
    const login = await client.callApi('Login', { username: 'alice' });
    const first = await client.callApi('Visit', {});
    const second = await client.callApi('Visit', {});
    const me = await client.callApi('Me', {});
    if (client instanceof WsClient) await client.disconnect();
    const failed = [login, first, second, me].find(r => !r.isSucc);
    if (failed && !failed.isSucc) throw new Error(failed.err.message);
    return { login: login.res, visits: [first.res?.visits, second.res?.visits], me: me.res && { userId: me.res.userId, visits: me.res.visits } };
}

async function main() {
    const [httpUrl, wsUrl] = process.argv.slice(2);
    if (httpUrl === undefined || wsUrl === undefined) throw new Error('usage: client <http url> <ws url>');
    const http = await run(new HttpClient(serviceProto, { server: httpUrl, json: true, logLevel: 'warn' }));
    const ws = await run(new WsClient(serviceProto, { server: wsUrl, logLevel: 'warn' }));
    console.log(JSON.stringify({ http, ws }));
}

main().catch(e => {
    console.error(e);
    process.exit(1);
});
