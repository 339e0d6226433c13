import { BaseRequest, BaseResponse, BaseConf } from '../../shared/protocols/base';

export interface ReqSessionUnset extends BaseRequest {
    key: string;
}

export interface ResSessionUnset extends BaseResponse {}

export const conf: BaseConf = {};
