// A new user's page: tsrpc-browser with the jar in localStorage.
import { HttpClient } from 'tsrpc-browser';
import { enableCookies } from 'tsrpc-session/client';
import { serviceProto } from './shared/protocols/serviceProto.js';

const client = new HttpClient(serviceProto, { server: location.origin, json: true });
enableCookies(client);

export async function visit(): Promise<number | undefined> {
    const ret = await client.callApi('Visit', {});
    return ret.isSucc ? ret.res.visits : undefined;
}
