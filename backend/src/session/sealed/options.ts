import { SessionOptions } from '../plugin/options';
import { SessionStore } from '../stores/SessionStore';

/** Sealed mode: the session lives in its cookie, sealed; see the README's "Sealed sessions". */
export interface SealedOptions {
    /**
     * A store for revocations only (ended sessions until their expiry, per-user cut-offs), so
     * `destroy()`, logout-others and `revokeSessions` end seals on every server. Without it a
     * logout clears the client's cookie, and a copied seal stays valid until it expires.
     * @defaultValue none
     */
    denyList?: SessionStore;
    /**
     * Bound into every seal's associated data: two apps sharing secrets and a cookie name still
     * refuse each other's seals. @defaultValue ''
     */
    audience?: string;
    /**
     * The most a `Set-Cookie` of the seal may take, name and attributes included; a write that
     * would exceed it fails with SESSION_SEALED_TOO_LARGE naming the key. @defaultValue 4096
     */
    maxBytes?: number;
}

/**
 * The options of sealed mode: no `store` (the seal is the storage), and no id renewal (a seal
 * changes at every write already).
 */
export type SealedSessionOptions = Omit<SessionOptions, 'store' | 'renewIdAfterMs' | 'renewGraceMs'> & {
    store?: never;
    renewIdAfterMs?: never;
    sealed: SealedOptions;
};

export const DEFAULT_SEALED_MAX_BYTES = 4096;
