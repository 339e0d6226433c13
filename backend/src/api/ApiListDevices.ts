import { ApiCall } from 'tsrpc';
import { ReqListDevices, ResListDevices } from '../../../shared/protocols/PtlListDevices';

export async function ApiListDevices(call: ApiCall<ReqListDevices, ResListDevices>) {
    const devices = await call.session.devices();
    await call.succ({ devices: devices.map(({ handle, ...device }) => ({ id: handle, ...device })) });
}
