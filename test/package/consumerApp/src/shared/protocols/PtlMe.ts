import { BaseRequest, BaseResponse, BaseConf } from './base';

export interface ReqMe extends BaseRequest {}

export interface ResMe extends BaseResponse {
    userId?: string;
    visits?: number;
}

export const conf: BaseConf = {};
