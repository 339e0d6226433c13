import type { BaseConnection } from 'tsrpc';
import { AuditTrail } from '../observability/audit';
import { SessionTelemetry } from '../observability/telemetry';
import { GuardedStore } from '../guards/GuardedStore';
import { ResolvedSessionOptions } from '../plugin/options';
import { SessionIdCodec } from './SessionIdCodec';

/** One of a user's sessions as a devices page shows it. */
export interface DeviceInfo {
    /** Names the session for `revokeDevice` / `revokeSessions({ except })`: opaque, never its id or store key. */
    handle: string;
    /** The session of the call that asked. */
    current: boolean;
    createdAt: number;
    lastSeenAt: number;
    label?: string;
}

/**
 * What the core asks of the connections a session is bound to (implemented in connections/, which
 * imports the core, never the other way).
 */
export interface SessionBindings {
    bind(conn: BaseConnection, storeKey: string, id: string | undefined): void;
    /** Lets go of the session's sockets without closing them (a regenerate's old id). */
    release(storeKey: string): void;
    close(storeKey: string, reason: string, except?: BaseConnection): void;
    rekey(oldStoreKey: string, newStoreKey: string, newId: string | undefined): void;
}

/** What the core asks of a user's list of sessions (implemented in connections/). */
export interface SessionDevices {
    list(userId: string, currentStoreKey?: string): Promise<DeviceInfo[]>;
    storeKeyOf(userId: string, handle: string): Promise<string | undefined>;
    revoke(userId: string, storeKeys: string[], except?: BaseConnection): Promise<void>;
    revokeAll(userId: string, exceptStoreKey?: string, except?: BaseConnection): Promise<number>;
    /** Ends the user's least recently used sessions past `max`, never `currentStoreKey`. */
    capSessions(userId: string, currentStoreKey: string, max: number): Promise<void>;
}

/** What every session of one plugin shares; the rooms above the core see their own kinds of bindings and devices. */
export interface SessionContext<B extends SessionBindings = SessionBindings, D extends SessionDevices = SessionDevices> {
    options: ResolvedSessionOptions;
    codec: SessionIdCodec;
    store: GuardedStore;
    audit: AuditTrail;
    bindings: B;
    devices: D;
    telemetry: SessionTelemetry;
}
