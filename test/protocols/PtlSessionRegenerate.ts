import { BaseRequest, BaseResponse, BaseConf } from '../../shared/protocols/base';

export interface ReqSessionRegenerate extends BaseRequest {
    keepData?: boolean;
}

export interface ResSessionRegenerate extends BaseResponse {
    id: string;
}

export const conf: BaseConf = {};
