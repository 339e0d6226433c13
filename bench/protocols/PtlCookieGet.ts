import { BaseConf, BaseRequest, BaseResponse } from '../../shared/protocols/base';

/** Reads one app cookie with `call.cookie.get`; never touches the session. */
export interface ReqCookieGet extends BaseRequest {
    name: string;
}

export interface ResCookieGet extends BaseResponse {
    value?: string;
}

export const conf: BaseConf = {};
