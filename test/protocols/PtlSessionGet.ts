import { BaseRequest, BaseResponse, BaseConf } from '../../shared/protocols/base';

export interface ReqSessionGet extends BaseRequest {
    key: string;
}

export interface ResSessionGet extends BaseResponse {
    value?: any;
}

export const conf: BaseConf = {};
