import { BaseRequest, BaseResponse, BaseConf } from './base';

export interface ReqLogin extends BaseRequest {
    username: string;
}

export interface ResLogin extends BaseResponse {
    userId: string;
}

export const conf: BaseConf = {};
