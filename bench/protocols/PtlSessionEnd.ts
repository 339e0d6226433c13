import { BaseConf, BaseRequest, BaseResponse } from '../../shared/protocols/base';

/** Ends the session (`call.session.destroy()`), as a logout does: the soak's churn. */
export interface ReqSessionEnd extends BaseRequest {}

export interface ResSessionEnd extends BaseResponse {}

export const conf: BaseConf = {};
