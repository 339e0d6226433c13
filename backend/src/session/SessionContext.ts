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
