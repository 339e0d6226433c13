import { BaseConf, BaseRequest, BaseResponse } from '../../shared/protocols/base';

/** Reads the session key `value`. */
export interface ReqSessionRead extends BaseRequest {}

export interface ResSessionRead extends BaseResponse {
    value?: string;
}

export const conf: BaseConf = {};
