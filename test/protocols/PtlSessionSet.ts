import { BaseRequest, BaseResponse, BaseConf } from '../../shared/protocols/base';

/** Writes one key without reading the session first; `fail` answers an error after the write. */
export interface ReqSessionSet extends BaseRequest {
    key: string;
    value: any;
    fail?: boolean;
}

export interface ResSessionSet extends BaseResponse {}

export const conf: BaseConf = {};
