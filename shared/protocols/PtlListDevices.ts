import { BaseRequest, BaseResponse, BaseConf } from './base';
import { Device } from './models/Device';

/** The logged-in user's sessions; none when not logged in. */
export interface ReqListDevices extends BaseRequest {}

export interface ResListDevices extends BaseResponse {
    devices: Device[];
}

export const conf: BaseConf = {};
