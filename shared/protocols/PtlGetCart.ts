import { BaseRequest, BaseResponse, BaseConf } from './base';
import { CartLine } from './models/CartLine';

export interface ReqGetCart extends BaseRequest {}

export interface ResGetCart extends BaseResponse {
    cart: CartLine[];
}

export const conf: BaseConf = {};
