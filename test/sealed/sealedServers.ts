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
    const plain = Buffer.isBuffer(payload) ? payload : Buffer.from(JSON.stringify(payload), 'utf8');
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([head, nonce, body, cipher.getAuthTag()]).toString('base64url');
}

/**
 * The compact payload (README "The seal"), from that text alone: `0x01 ‖ id ‖ created (uint48) ‖
 * LEB128 seen−created, idle−seen, absolute−created, user JSON length + 1 ‖ user JSON ‖ data JSON`.
 */
export function compactPayload(now: number, data: unknown, options: { id?: Buffer; userId?: string; seen?: number; idle?: number; absolute?: number } = {}): Buffer {
    const leb = (n: number): number[] => {
        const bytes: number[] = [];
        for (; n >= 0x80; n = Math.floor(n / 0x80)) bytes.push((n % 0x80) | 0x80);
        return [...bytes, n];
    };
    const created = Buffer.alloc(6);
    created.writeUIntBE(now, 0, 6);
    const user = options.userId === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(options.userId), 'utf8');
    return Buffer.concat([
        Buffer.from([0x01]), options.id ?? randomBytes(16), created,
        Buffer.from([...leb(options.seen ?? 0), ...leb(options.idle ?? 3_600_000), ...leb(options.absolute ?? 3_600_000), ...leb(user.length === 0 ? 0 : user.length + 1)]),
        user, Buffer.from(JSON.stringify(data), 'utf8'),
    ]);
}

/** A payload as a genuine seal holds it, live at `now` for an hour (the JSON form of the first seals, still opened). */
export function sessionPayload(now: number, data: Record<string, unknown>, id = randomBytes(16).toString('base64url')): object {
    return { i: id, c: now, l: now, e: now + 3_600_000, a: now + 3_600_000, d: data };
}
