import { createCipheriv, hkdfSync, randomBytes } from 'crypto';
import { enableSession, SealedOptions, SealedSessionOptions, SealedSessionPlugin } from 'tsrpc-session/server';
import { SessionServers, startSessionServers } from '../carriers/carrierServers';
import { TEST_SECRETS } from '../helpers/sessionServer';
import { TestClock } from '../helpers/testClock';

/** An HttpServer and a WsServer sharing one plugin in sealed mode: no session store at all. */
export type SealedServers = SessionServers<SealedSessionPlugin>;

export function startSealedServers(
    options: Partial<Omit<SealedSessionOptions, 'sealed'>> & { sealed?: SealedOptions } = {}, clock = new TestClock(),
): Promise<SealedServers> {
    return startSessionServers(both => enableSession(both, { secrets: TEST_SECRETS, now: clock.now, ...options, sealed: options.sealed ?? {} }), clock);
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
