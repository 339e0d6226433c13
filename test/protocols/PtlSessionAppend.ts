import { BaseRequest, BaseResponse, BaseConf } from '../../shared/protocols/base';

/** Appends `item` to the list under `key` with `call.session.update` (atomic read-modify-write). */
export interface ReqSessionAppend extends BaseRequest {
    key: string;
    item: string;
}

export interface ResSessionAppend extends BaseResponse {
    list: string[];
}

export const conf: BaseConf = {};
