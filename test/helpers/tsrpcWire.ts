import { ApiReturn, HttpClient } from 'tsrpc';
import { TransportDataUtil } from 'tsrpc-base-client';
import { serviceProto, ServiceType } from '../../shared/protocols/serviceProto';

export type ApiName = keyof ServiceType['api'];

/** Never connects: it lends the example's protocol encoder and service map. */
const codec = new HttpClient(serviceProto, { logger: undefined });

/** A request as TSRPC's binary HTTP client sends it: what a page of any origin could post. */
export function encodeBinaryRequest<K extends ApiName>(name: K, req: ServiceType['api'][K]['req']): Uint8Array {
    const service = codec.serviceMap.apiName2Service[name as string];
    if (!service) throw new Error(`no API ${String(name)}`);
    const encoded = TransportDataUtil.encodeApiReq(codec.tsbuffer, service, req, 'buffer');
    if (!encoded.isSucc) throw new Error(encoded.errMsg);
    return encoded.output;
}

/**
 * The calls of a binary WebSocket conversation (frames as the browser sent and received them):
 * each answer decoded with the service its request named.
 */
export function decodeWebSocketCalls(sent: readonly Uint8Array[], received: readonly Uint8Array[]): { name: string; ret: ApiReturn<any> }[] {
    const serviceOfSn = new Map<number, number>();
    for (const frame of sent) {
        const input = TransportDataUtil.tsbuffer.decode(frame, 'ServerInputData');
        const value = input.isSucc ? input.value as { serviceId: number; sn?: number } : undefined;
        if (value?.sn !== undefined) serviceOfSn.set(value.sn, value.serviceId);
    }
    return received.flatMap(frame => {
        const output = TransportDataUtil.tsbuffer.decode(frame, 'ServerOutputData');
        const sn = output.isSucc ? (output.value as { sn?: number }).sn : undefined;
        const serviceId = sn === undefined ? undefined : serviceOfSn.get(sn);
        if (serviceId === undefined) return [];
        const parsed = TransportDataUtil.parseServerOutout(codec.tsbuffer, codec.serviceMap, frame, serviceId);
        if (!parsed.isSucc || parsed.result.type !== 'api') return [];
        return [{ name: parsed.result.service.name, ret: parsed.result.ret }];
    });
}
