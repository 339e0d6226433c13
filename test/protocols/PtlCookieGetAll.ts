import { BaseRequest, BaseResponse, BaseConf } from '../../shared/protocols/base';

/** What the server reads from `call.cookie`, the session cookie excluded. */
export interface ReqCookieGetAll extends BaseRequest {}

export interface ResCookieGetAll extends BaseResponse {
    cookies: { [name: string]: string };
}

export const conf: BaseConf = {};
