import { BaseConf, BaseRequest, BaseResponse } from '../../shared/protocols/base';

/** Writes the session key `value`, without reading it first. */
export interface ReqSessionWrite extends BaseRequest {
    value: string;
}

export interface ResSessionWrite extends BaseResponse {}

export const conf: BaseConf = {};
