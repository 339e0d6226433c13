import { CartLine } from '../../../shared/protocols/models/CartLine';

// The example app's session keys, typed for every handler.
declare module '../session/SessionData' {
    interface SessionData {
        userId: string;
        cart: CartLine[];
    }
}
