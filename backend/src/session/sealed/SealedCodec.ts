import { randomBytes } from 'crypto';
import { BoundedMap } from '../../../../shared/boundedMap';
import { LINEAGE_CHARS } from '../../../../shared/sealOrder';
import { SessionIdCodec, TicketCarriage, VerifiedId } from '../core/SessionIdCodec';
import { decodePayload, SealedSession } from './sealedPayload';
import { SealedRecords } from './SealedRecords';
import { Sealer } from './Sealer';

/** 128 bits: the session id inside a seal is never a credential alone (only a seal is), and bytes count. */
const ID_BYTES = 16;
/** Seals already opened, so a session's every read does not pay AES-GCM and JSON.parse again. */
const CACHE_SIZE = 10_000;
/** Sessions this process sealed last, by the lineage in their seal's clear head. */
const OWN_SEALS_SIZE = 100_000;

interface OpenedSeal {
    /** With its store key: the calls that present the seal again find it there. */
    verified: VerifiedId & { storeKey: string };
    session: SealedSession;
}

/**
 * The codec of sealed mode: the "signed id" a client holds is the seal of the whole session.
 * Verifying opens it (and hands the session to the records table); signing seals the session's
 * current state. The rest of the plugin (carriers, bindings, tickets) is unchanged.
 */
export class SealedCodec extends SessionIdCodec {
    readonly #sealer: Sealer;
    readonly #records: SealedRecords;
    readonly #opened = new BoundedMap<string, OpenedSeal>(CACHE_SIZE);
    readonly #ownByLineage = new BoundedMap<string, string>(OWN_SEALS_SIZE);

    constructor(secrets: readonly string[], sealer: Sealer, records: SealedRecords) {
        super(secrets);
        this.#sealer = sealer;
        this.#records = records;
    }

    override get cacheSizes(): { verifiedCookies: number; storeKeys: number } {
        return { verifiedCookies: this.#opened.size, storeKeys: super.cacheSizes.storeKeys };
    }

    /**
     * A ticket carries the seal itself, so any server with the secrets redeems it; one-time only
     * through the deny-list's store (without one: within its 30 s life only).
     */
    override get tickets(): TicketCarriage {
        return { carries: 'value', oneTime: this.#records.sharesMarkers, maxValueLength: this.#sealer.maxChars };
    }

    override newId(): string {
        const id = randomBytes(ID_BYTES).toString('base64url');
        this.#records.minted(this.storeKey(id), id);
        return id;
    }

    /** The seal of the session's state after this call's writes. */
    override sign(id: string): string {
        const seal = this.#records.sealOf(this.storeKey(id));
        if (seal === undefined) throw new Error(`tsrpc-session: sealed session ${this.storeKey(id)} is no longer held by this process`);
        return seal;
    }

    /**
     * A seal this process just made: the client presents it on its next call, which is then told
     * by its lineage and compared whole with the session's current seal, with no AES-GCM, no
     * JSON.parse and no long key hashed into a cache.
     */
    madeSeal(seal: string, storeKey: string): void {
        const lineage = seal.slice(0, LINEAGE_CHARS);
        if (this.#ownByLineage.get(lineage) !== storeKey) this.#ownByLineage.set(lineage, storeKey);
    }

    override verify(value: unknown): VerifiedId | undefined {
        if (typeof value !== 'string') return undefined;
        const own = this.#ownByLineage.get(value.slice(0, LINEAGE_CHARS));
        const id = own === undefined ? undefined : this.#records.idSealedAs(own, value);
        if (id !== undefined) return { id, signedWithCurrentSecret: true, storeKey: own };
        let opened = this.#opened.get(value);
        if (!opened) {
            const sealed = this.#sealer.open(value);
            const session = sealed && decodePayload(sealed.plain, sealed);
            if (!sealed || !session) return undefined;
            opened = { verified: { id: session.id, signedWithCurrentSecret: sealed.sealedWithCurrentSecret, storeKey: this.storeKey(session.id) }, session };
            this.#opened.set(value, opened);
        }
        const { verified } = opened;
        // A stale seal (a parallel call of this client wrote since) counts as one to re-seal: the reply carries the newest.
        return this.#records.offer(verified.storeKey, opened.session) ? verified : { ...verified, signedWithCurrentSecret: false };
    }
}
