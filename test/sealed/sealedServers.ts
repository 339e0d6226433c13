import { createCipheriv, hkdfSync, randomBytes } from 'crypto';
import { AddressInfo } from 'net';
import { HttpServer, WsServer } from 'tsrpc';
import { enableSession, SealedOptions, SealedSessionOptions, SealedSessionPlugin } from 'tsrpc-session/server';
import { serviceProto, ServiceType } from '../protocols/serviceProto';
import { freePort } from '../helpers/freePort';
import { TEST_SECRETS } from '../helpers/sessionServer';
import { implementTestApis } from '../helpers/testApis';
import { TestClock } from '../helpers/testClock';
import { silentLogger } from '../helpers/transports';

/** An HttpServer and a WsServer sharing one plugin in sealed mode: no session store at all. */
export interface SealedServers {
    http: HttpServer<ServiceType>;
    ws: WsServer<ServiceType>;
    plugin: SealedSessionPlugin;
    clock: TestClock;
    httpUrl: string;
    wsUrl: string;
    stop(): Promise<void>;
}

export async function startSealedServers(
    options: Partial<Omit<SealedSessionOptions, 'sealed'>> & { sealed?: SealedOptions } = {}, clock = new TestClock(),
): Promise<SealedServers> {
    const http = new HttpServer(serviceProto, { port: 0, json: true, logger: silentLogger });
    const wsPort = await freePort();
    const ws = new WsServer(serviceProto, { port: wsPort, json: true, logger: silentLogger });
    const plugin = enableSession([http, ws], { secrets: TEST_SECRETS, now: clock.now, ...options, sealed: options.sealed ?? {} });
    implementTestApis(http);
    implementTestApis(ws);
    await http.start();
    await ws.start();
    const { port } = http.httpServer!.address() as AddressInfo;
    return {
        http, ws, plugin, clock,
        httpUrl: `http://127.0.0.1:${port}`,
        wsUrl: `ws://127.0.0.1:${wsPort}`,
        async stop() {
            await Promise.allSettled([http.stop(), ws.stop()]);
        },
    };
}

/**
 * Seals as the documented format says (README "Sealed sessions"), written here from that text
 * alone: the fuzz's forger, and the control that a forger with the right key would succeed.
 */
export function forgeSeal(
    secret: string, payload: unknown,
    binding: { version?: number; purpose?: string; cookieName?: string; audience?: string; info?: string; nonce?: Buffer; lineage?: Buffer; writes?: number } = {},
): string {
    const version = binding.version ?? 2;
    const key = Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), Buffer.alloc(0), binding.info ?? 'tsrpc-session sealed session v1', 32));
    const head = Buffer.alloc(15);
    head[0] = version;
    (binding.lineage ?? randomBytes(8)).copy(head, 1);
    head.writeUIntBE(binding.writes ?? 1, 9, 6);
    const nonce = binding.nonce ?? randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, nonce);
    const bound = Buffer.from(JSON.stringify(['tsrpc-session', version, binding.purpose ?? 'session', binding.cookieName ?? 'sid', binding.audience ?? '']), 'utf8');
    cipher.setAAD(Buffer.concat([bound, head]));
    const body = Buffer.concat([cipher.update(Buffer.from(JSON.stringify(payload), 'utf8')), cipher.final()]);
    return Buffer.concat([head, nonce, body, cipher.getAuthTag()]).toString('base64url');
}

/** A payload as a genuine seal holds it, live at `now` for an hour. */
export function sessionPayload(now: number, data: Record<string, unknown>, id = randomBytes(16).toString('base64url')): object {
    return { i: id, c: now, l: now, e: now + 3_600_000, a: now + 3_600_000, d: data };
}
