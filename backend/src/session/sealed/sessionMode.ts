import { SessionIdCodec } from '../core/SessionIdCodec';
import { resolveSessionOptions, ResolvedSessionOptions, SessionOptions } from '../plugin/options';
import { SESSION_STORE_METHODS } from '../stores/SessionStore';
import { DenyList } from './DenyList';
import { DEFAULT_SEALED_MAX_BYTES, SealedSessionOptions } from './options';
import { sealTooLargeError } from './sealedErrors';
import { encodePayload, SealedSession } from './sealedPayload';
import { SealedCodec } from './SealedCodec';
import { SealedRecords } from './SealedRecords';
import { Sealer } from './Sealer';

/** `Max-Age=` and `Expires=` at their longest (10 digits, an RFC 1123 date). */
const LIFETIME_ATTRIBUTES = '; Max-Age=0000000000; Expires=Thu, 01 Jan 1970 00:00:00 GMT'.length;

/** The resolved options and the codec of a plugin, in store mode or in sealed mode. */
export function sessionMode(options: SessionOptions | SealedSessionOptions): { resolved: Readonly<ResolvedSessionOptions>; codec: SessionIdCodec } {
    if (typeof options !== 'object' || options === null || !('sealed' in options) || options.sealed === undefined) {
        const resolved = resolveSessionOptions(options as SessionOptions);
        return { resolved, codec: new SessionIdCodec(resolved.secrets) };
    }
    const fail = (message: string): never => { throw new TypeError(`tsrpc-session: ${message}`); };
    const { sealed, ...rest } = options as SealedSessionOptions;
    if (sealed === null || typeof sealed !== 'object') fail('options.sealed must be an object');
    if ((rest as SessionOptions).store !== undefined) fail('options.store and options.sealed exclude each other: a sealed session lives in its cookie');
    if ((rest as SessionOptions).renewIdAfterMs) fail('options.renewIdAfterMs is not used in sealed mode: every write makes a new seal');
    const audience = sealed.audience ?? '';
    if (typeof audience !== 'string') fail('options.sealed.audience must be a string');
    const maxBytes = sealed.maxBytes ?? DEFAULT_SEALED_MAX_BYTES;
    if (!Number.isInteger(maxBytes) || maxBytes < 256) fail('options.sealed.maxBytes must be an integer of at least 256');
    if (sealed.denyList !== undefined) {
        for (const method of SESSION_STORE_METHODS) {
            if (typeof sealed.denyList?.[method] !== 'function') fail(`options.sealed.denyList is missing the method ${method}()`);
        }
    }
    const base = resolveSessionOptions(rest as SessionOptions);
    const cookie = base.httpCookie;
    const overhead = `${cookie.name}=; Path=${cookie.path}${cookie.domain === undefined ? '' : `; Domain=${cookie.domain}`}; HttpOnly; Secure; SameSite=${cookie.sameSite}`.length + LIFETIME_ATTRIBUTES;
    const sealer = new Sealer(base.secrets, { purpose: 'session', cookieName: base.cookieName, audience }, maxBytes);
    const write = sealWriter(sealer, overhead, maxBytes);
    const records = new SealedRecords(sealed.denyList && new DenyList(sealed.denyList), (storeKey, session, written) => {
        const seal = write(session, written);
        codec.madeSeal(seal, storeKey);
        return seal;
    }, base.now, base.absoluteTimeoutMs);
    const codec = new SealedCodec(base.secrets, sealer, records);
    // Every write re-seals, so every write must send its seal back: rolling, whatever was asked.
    const resolved = Object.freeze({ ...base, store: records, rolling: true, renewIdAfterMs: 0 });
    return { resolved, codec };
}

/** Seals, and refuses a seal whose Set-Cookie would exceed `maxBytes`, naming the largest key the write changed. */
function sealWriter(sealer: Sealer, overhead: number, maxBytes: number): (session: SealedSession, written: Readonly<Record<string, unknown>> | undefined) => string {
    return (session, written) => {
        const seal = sealer.seal({ lineage: session.lineage, writes: session.seq }, encodePayload(session));
        const bytes = overhead + seal.length;
        if (bytes > maxBytes) throw sealTooLargeError(bytes, maxBytes, largestKey(session, written));
        return seal;
    };
}

/** The largest key among those the write set (any key of the session when it set none). */
function largestKey(session: SealedSession, written: Readonly<Record<string, unknown>> | undefined): string | undefined {
    const { data } = session.record;
    const candidates = Object.keys(written ?? {}).filter(key => key in data);
    let largest: string | undefined;
    let largestSize = -1;
    for (const key of candidates.length > 0 ? candidates : Object.keys(data)) {
        const size = JSON.stringify(data[key])?.length ?? 0;
        if (size > largestSize) [largest, largestSize] = [key, size];
    }
    return largest;
}
