import { BaseRequest, BaseResponse, BaseConf } from '../../shared/protocols/base';

export interface ReqCookieSet extends BaseRequest {
    name: string;
    value: string;
    maxAgeMs?: number;
}

export interface ResCookieSet extends BaseResponse {}

export const conf: BaseConf = {};
