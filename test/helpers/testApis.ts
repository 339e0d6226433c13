import { BaseServer, TsrpcError } from 'tsrpc';
import { ServiceType } from '../protocols/serviceProto';
import 'tsrpc-session/server';

// The test APIs take any key from the request.
declare module 'tsrpc-session/server' {
    interface SessionData {
        [key: string]: unknown;
    }
}

/** Thin handlers over `call.cookie` and `call.session`, so tests drive the plugin through real calls. */
export function implementTestApis(server: BaseServer<ServiceType>): void {
    server.implementApi('Ping', call => call.succ({}));
    server.implementApi('CookieSet', call => {
        call.cookie.set(call.req.name, call.req.value, { maxAgeMs: call.req.maxAgeMs });
        return call.succ({});
    });
    server.implementApi('CookieClear', call => {
        call.cookie.clear(call.req.name);
        return call.succ({});
    });
    server.implementApi('CookieGetAll', call => call.succ({ cookies: call.cookie.getAll() }));
    server.implementApi('SessionSet', async call => {
        await call.session.set(call.req.key, call.req.value);
        if (call.req.fail) throw new TsrpcError('Failed on purpose', { code: 'TEST_FAILURE' });
        await call.succ({});
    });
    server.implementApi('SessionGet', async call => call.succ({ value: await call.session.get(call.req.key) }));
    server.implementApi('SessionGetAll', async call => {
        const data = await call.session.getAll();
        await call.succ({ id: call.session.id, data });
    });
    server.implementApi('SessionUnset', async call => {
        await call.session.unset(call.req.key);
        await call.succ({});
    });
    server.implementApi('SessionClear', async call => {
        await call.session.clear();
        await call.succ({});
    });
    server.implementApi('SessionAppend', async call => {
        const list = await call.session.update(call.req.key, (list: unknown) => [...(Array.isArray(list) ? list : []), call.req.item]);
        await call.succ({ list: list as string[] });
    });
    server.implementApi('SessionRegenerate', async call => {
        await call.session.regenerate({ keepData: call.req.keepData });
        await call.succ({ id: call.session.id! });
    });
    server.implementApi('SessionDestroy', async call => {
        await call.session.destroy();
        await call.succ({});
    });
    server.implementApi('SessionTouch', async call => {
        await call.session.touch();
        await call.succ({ exists: call.session.id !== undefined });
    });
}
