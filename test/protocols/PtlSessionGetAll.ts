import { BaseRequest, BaseResponse, BaseConf } from '../../shared/protocols/base';

export interface ReqSessionGetAll extends BaseRequest {}

/** `id` is absent when the caller has no live session. */
export interface ResSessionGetAll extends BaseResponse {
    id?: string;
    data: { [key: string]: any };
}

export const conf: BaseConf = {};
