import { ApiCall, TsrpcError } from 'tsrpc';
import { SessionErrorCode } from 'tsrpc-session/server';
import { ReqListDevices, ResListDevices } from '../../../shared/protocols/PtlListDevices';

/** What the page shows in sealed mode (`SESSION_STORE=sealed`), where no store lists a user's sessions. */
const SEALED_MODE_LABEL = 'Device list not available in sealed mode';

export async function ApiListDevices(call: ApiCall<ReqListDevices, ResListDevices>) {
    try {
        const devices = await call.session.devices();
        await call.succ({ devices: devices.map(({ handle, ...device }) => ({ id: handle, ...device })) });
    } catch (e) {
        if (!(e instanceof TsrpcError) || e.code !== SessionErrorCode.SealedUnsupported) throw e;
        const now = Date.now();
        await call.succ({ devices: [{ id: 'sealed', current: true, createdAt: now, lastSeenAt: now, label: SEALED_MODE_LABEL }] });
    }
}
