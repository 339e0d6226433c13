import { BaseRequest, BaseResponse, BaseConf } from './base';

export interface ReqVisit extends BaseRequest {}

export interface ResVisit extends BaseResponse {
    visits: number;
}

export const conf: BaseConf = {};
