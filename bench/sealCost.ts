import { sealData, unsealData } from 'iron-session';
import { decodePayload, encodePayload } from '../backend/src/session/sealed/sealedPayload';
import { Sealer } from '../backend/src/session/sealed/Sealer';
import { SESSION_RECORD_VERSION } from '../backend/src/session/stores/SessionStore';
import { BENCH_SECRETS } from './server/ipc';

/** Ours runs long enough for V8 to optimise it (20,000 rounds measured it half warm); iron's 300-1,000 µs need fewer. */
const OUR_ROUNDS = 100_000;
const IRON_ROUNDS = 5_000;

/** µs per operation of sealing and opening one session, ours beside iron-session's, in this process. */
export interface SealCost {
    ours: { seal: number; open: number };
    iron: { seal: number; open: number };
    /** Bytes of the seal of the same session. */
    bytes: { ours: number; iron: number };
}

/**
 * The crypto alone, without TSRPC or the plugin: AES-256-GCM (ours) against iron-session's
 * `sealData`/`unsealData` (iron: AES-256-CBC + HMAC-SHA256, PBKDF2-derived keys), the same
 * session data, one after the other in the benchmark's own process.
 */
export async function measureSealCost(): Promise<SealCost> {
    const now = Date.now();
    const data = { userId: 'u1', benchValue: 'x'.repeat(32), cart: [{ item: 'apple', quantity: 2 }] };
    const record = { v: SESSION_RECORD_VERSION, data, createdAt: now, lastSeenAt: now, idleExpiresAt: now + 1_800_000, absoluteExpiresAt: now + 86_400_000, userId: 'u1' };
    const sealer = new Sealer(BENCH_SECRETS, { purpose: 'session', cookieName: 'sid', audience: '' }, 4096);
    const password = BENCH_SECRETS[0]!.padEnd(32, '#');
    const head = { lineage: Buffer.alloc(8, 7), writes: 1 };
    const plain = () => encodePayload({ id: 'A'.repeat(22), ...head, seq: 1, record });
    const ourSeal = sealer.seal(head, plain());
    const ironSeal = await sealData(data, { password, ttl: 86_400 });
    // CPU time, not wall time: on a shared machine the wall clock also counts other programs' turns.
    const micros = async (rounds: number, run: () => unknown) => {
        for (let i = 0; i < rounds / 5; i++) await run();
        const start = process.cpuUsage();
        for (let i = 0; i < rounds; i++) await run();
        const used = process.cpuUsage(start);
        return (used.user + used.system) / rounds;
    };
    return {
        // Ours includes building the payload and decoding it, as a write and a read of the plugin do.
        ours: { seal: await micros(OUR_ROUNDS, () => sealer.seal(head, plain())), open: await micros(OUR_ROUNDS, () => decodePayload(sealer.open(ourSeal)!.plain, head)) },
        iron: { seal: await micros(IRON_ROUNDS, () => sealData(data, { password, ttl: 86_400 })), open: await micros(IRON_ROUNDS, () => unsealData(ironSeal, { password, ttl: 86_400 })) },
        bytes: { ours: ourSeal.length, iron: ironSeal.length },
    };
}

export function formatSealCost(cost: SealCost): string {
    const f = (n: number) => n.toFixed(1);
    return [
        'Seal and open alone (one session of ~100 bytes of data, µs per operation, this process):',
        `  tsrpc-session sealed  seal ${f(cost.ours.seal)}  open ${f(cost.ours.open)}  (${cost.bytes.ours} bytes)`,
        `  iron-session          seal ${f(cost.iron.seal)}  open ${f(cost.iron.open)}  (${cost.bytes.iron} bytes)`,
    ].join('\n');
}
