import { BaseRequest, BaseResponse, BaseConf } from './base';
import { PublicUser } from './models/PublicUser';

/** Checks the password, then gives the caller a fresh session id (no fixation). */
export interface ReqLogin extends BaseRequest {
    username: string;
    password: string;
}

export interface ResLogin extends BaseResponse {
    user: PublicUser;
}

export const conf: BaseConf = {};
