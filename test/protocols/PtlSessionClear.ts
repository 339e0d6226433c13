import { BaseRequest, BaseResponse, BaseConf } from '../../shared/protocols/base';

export interface ReqSessionClear extends BaseRequest {}

export interface ResSessionClear extends BaseResponse {}

export const conf: BaseConf = {};
