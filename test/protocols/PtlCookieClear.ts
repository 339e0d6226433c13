import { BaseRequest, BaseResponse, BaseConf } from '../../shared/protocols/base';

export interface ReqCookieClear extends BaseRequest {
    name: string;
}

export interface ResCookieClear extends BaseResponse {}

export const conf: BaseConf = {};
