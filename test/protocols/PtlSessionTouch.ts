import { BaseRequest, BaseResponse, BaseConf } from '../../shared/protocols/base';

/** Loads the session and touches it, writing nothing else. */
export interface ReqSessionTouch extends BaseRequest {}

export interface ResSessionTouch extends BaseResponse {
    exists: boolean;
}

export const conf: BaseConf = {};
