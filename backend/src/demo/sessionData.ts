import { CartLine } from '../../../shared/protocols/models/CartLine';

// The example app's session keys, typed for every handler.
declare module 'tsrpc-session/server' {
    interface SessionData {
        userId: string;
        cart: CartLine[];
    }
}
