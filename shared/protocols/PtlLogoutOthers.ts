import { BaseRequest, BaseResponse, BaseConf } from './base';

/** Ends every session of the user but the caller's. */
export interface ReqLogoutOthers extends BaseRequest {}

export interface ResLogoutOthers extends BaseResponse {}

export const conf: BaseConf = {};
