import { BaseRequest, BaseResponse, BaseConf } from '../../shared/protocols/base';

/** Never touches the session or the cookies. */
export interface ReqPing extends BaseRequest {}

export interface ResPing extends BaseResponse {}

export const conf: BaseConf = {};
