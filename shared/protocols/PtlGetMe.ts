import { BaseRequest, BaseResponse, BaseConf } from './base';
import { PublicUser } from './models/PublicUser';

export interface ReqGetMe extends BaseRequest {}

/** `user` is absent when the caller is not logged in. */
export interface ResGetMe extends BaseResponse {
    user?: PublicUser;
}

export const conf: BaseConf = {};
