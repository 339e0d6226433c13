import { BaseRequest, BaseResponse, BaseConf } from './base';

/** Destroys the caller's session. */
export interface ReqLogout extends BaseRequest {}

export interface ResLogout extends BaseResponse {}

export const conf: BaseConf = {};
