import assert from 'assert';
import { setTimeout as sleep } from 'timers/promises';
import { WsClient } from 'tsrpc';
import { ServiceType } from '../../shared/protocols/serviceProto';
import { MemoryStorage } from 'tsrpc-session/client';
import type { ExampleTestApp } from '../helpers/exampleApp';
import { TestClient } from '../helpers/transports';

/** Waits until `condition` holds, checking every 10 ms; fails after `timeoutMs`. */
export async function until(condition: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
        if (Date.now() > deadline) throw new Error(`${what} did not hold within ${timeoutMs} ms`);
        await sleep(10);
    }
}

/**
 * The reason the server gives when it closes this client's socket, if it does within `deadlineMs`
 * of this call (the bound the issue promises); rejects otherwise. Logs how long it took.
 */
export function closeWithin(client: WsClient<any>, deadlineMs: number): Promise<string | undefined> {
    const start = process.hrtime.bigint();
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the socket was still open ${deadlineMs} ms later`)), deadlineMs);
        client.flows.postDisconnectFlow.push(v => {
            clearTimeout(timer);
            if (process.env.REVOCATION_TIMINGS) console.log(`      closed after ${Number(process.hrtime.bigint() - start) / 1e6} ms: ${v.reason}`);
            resolve(v.reason);
            return v;
        });
    });
}

export async function loginOn(client: TestClient<ServiceType>, credentials: { username: string; password: string }): Promise<void> {
    const ret = await client.client.callApi('Login', credentials);
    assert.ok(ret.isSucc, JSON.stringify(ret));
}

export async function userOf(client: TestClient<ServiceType>): Promise<string | undefined> {
    const ret = await client.client.callApi('GetMe', {});
    assert.ok(ret.isSucc, JSON.stringify(ret));
    return ret.res.user?.id;
}

/**
 * Logs `user` in on a WebSocket of `socketApp` and over HTTP on `revokingApp`, revokes the socket's
 * session from the HTTP client, and answers the reason the socket was closed with (within 1 s).
 */
export async function revokeSocketAcross(revokingApp: ExampleTestApp, socketApp: ExampleTestApp, user: { username: string; password: string }): Promise<string | undefined> {
    const phone = await socketApp.client('ws', new MemoryStorage());
    const laptop = await revokingApp.client('http-json', new MemoryStorage());
    await loginOn(phone, user);
    await loginOn(laptop, user);
    const listed = await laptop.client.callApi('ListDevices', {});
    assert.ok(listed.isSucc);
    const closed = closeWithin(phone.client as WsClient<any>, 1000);
    assert.ok((await laptop.client.callApi('RevokeDevice', { id: listed.res.devices.find(d => !d.current)!.id })).isSucc);
    return closed;
}
