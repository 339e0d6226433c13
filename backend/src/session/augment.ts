import type { CallCookies } from './CallCookies';
import type { Session } from './Session';

// Handlers see `call.cookie` and `call.session` typed. This file must be loaded before
// autoImplementApi() loads the handlers; importing the plugin does that.
declare module 'tsrpc' {
    interface ApiCall {
        /** The app cookies of this call (set by `enableSession`). */
        cookie: CallCookies;
        /** The session of this call, read lazily (set by `enableSession`). */
        session: Session;
    }
}
