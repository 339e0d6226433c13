import { BaseRequest, BaseResponse, BaseConf } from './base';
import { CartLine } from './models/CartLine';

/** Adds `quantity` of `item` to the session's cart; works without logging in. */
export interface ReqAddToCart extends BaseRequest {
    item: string;
    quantity: number;
}

export interface ResAddToCart extends BaseResponse {
    cart: CartLine[];
}

export const conf: BaseConf = {};
