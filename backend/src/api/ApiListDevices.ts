import { ApiCall } from 'tsrpc';
import { ReqListDevices, ResListDevices } from '../../../shared/protocols/PtlListDevices';

export async function ApiListDevices(call: ApiCall<ReqListDevices, ResListDevices>) {
    await call.succ({ devices: await call.session.devices() });
}
