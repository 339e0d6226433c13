import { BaseConf, BaseRequest, BaseResponse } from '../../shared/protocols/base';

/** Run once per client before warm-up: gives it an app cookie and a stored session. */
export interface ReqSetup extends BaseRequest {
    value: string;
}

export interface ResSetup extends BaseResponse {}

export const conf: BaseConf = {};
