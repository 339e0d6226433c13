import { BaseRequest, BaseResponse, BaseConf } from './base';

/** Ends one of the user's sessions, by the handle ListDevices gave. */
export interface ReqRevokeDevice extends BaseRequest {
    id: string;
}

export interface ResRevokeDevice extends BaseResponse {}

export const conf: BaseConf = {};
