import { AuditTrail } from '../observability/audit';
import { SessionTelemetry } from '../observability/telemetry';
import { ConnectionBindings } from '../connections/ConnectionBindings';
import { DeviceDirectory } from '../connections/DeviceDirectory';
import { GuardedStore } from '../guards/GuardedStore';
import { ResolvedSessionOptions } from '../plugin/options';
import { SessionIdCodec } from './SessionIdCodec';

/** What every session of one plugin shares. */
export interface SessionContext {
    options: ResolvedSessionOptions;
    codec: SessionIdCodec;
    store: GuardedStore;
    audit: AuditTrail;
    bindings: ConnectionBindings;
    devices: DeviceDirectory;
    telemetry: SessionTelemetry;
}
