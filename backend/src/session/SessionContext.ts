import type { BaseConnection, Logger } from 'tsrpc';
import { AuditTrail } from './audit';
import { ConnectionBindings } from './ConnectionBindings';
import { DeviceDirectory } from './DeviceDirectory';
import { GuardedStore } from './GuardedStore';
import { ResolvedSessionOptions } from './options';
import { SessionIdCodec } from './SessionIdCodec';

/** What every session of one plugin shares. */
export interface SessionContext {
    options: ResolvedSessionOptions;
    codec: SessionIdCodec;
    store: GuardedStore;
    audit: AuditTrail;
    bindings: ConnectionBindings;
    devices: DeviceDirectory;
}

/** What one call contributes: where it came from, for logs, labels and WebSocket binding. */
export interface CallInfo {
    logger?: Logger;
    conn?: BaseConnection;
    /** Read only when a session is created: most calls never need it. */
    label?: () => string | undefined;
}
