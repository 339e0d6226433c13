import { BaseConf, BaseRequest, BaseResponse } from '../../shared/protocols/base';

/** Touches neither cookies nor session: the baseline call. */
export interface ReqPing extends BaseRequest {}

export interface ResPing extends BaseResponse {}

export const conf: BaseConf = {};
