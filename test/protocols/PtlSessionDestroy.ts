import { BaseRequest, BaseResponse, BaseConf } from '../../shared/protocols/base';

export interface ReqSessionDestroy extends BaseRequest {}

export interface ResSessionDestroy extends BaseResponse {}

export const conf: BaseConf = {};
