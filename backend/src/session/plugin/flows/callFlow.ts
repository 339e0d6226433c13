import type { ApiCall, BaseServer, Logger } from 'tsrpc';
import { AppCookies, sessionCookieIn } from '../../handler/CallCookies';
import { SessionFacade } from '../../handler/Session';
import { CallSession, Presented } from '../../core/CallSession';
import { Arrival } from '../../carriers/carriers';
import { DuplicateSessionCookies } from '../../carriers/cookieHeader';
import { CarrierSupport, PluginContext } from './carrierSupport';
import { admitCall } from '../../connections/closeAfterAnswers';

/**
 * `call.session` with what the return flow needs: the call's core, how its session arrived, and
 * the call's cookies. The call's one object for all of it, taken once, by the return flow.
 */
export class CallInFlight extends SessionFacade {
    readonly via: Arrival | undefined;
    readonly cookies: AppCookies;
    #taken = false;

    constructor(core: CallSession, via: Arrival | undefined, cookies: AppCookies) {
        super(core);
        this.via = via;
        this.cookies = cookies;
    }

    get callSession(): CallSession {
        return this.core;
    }

    /** The call's parts, the first time only: a call is answered once. */
    take(): CallInFlight | undefined {
        if (this.#taken) return undefined;
        this.#taken = true;
        return this;
    }
}

/** Every API call gets `call.cookie` and `call.session`, its session found by its carrier and verified. */
export function installCallFlow(server: BaseServer<any>, ctx: PluginContext, support: CarrierSupport | undefined): void {
    const { options } = ctx;
    // Answered as a settled promise: TSRPC's Flow.exec (tslib's __awaiter) takes a native promise
    // as it is, and wraps any other value in a new one through an executor closure.
    server.flows.preApiCallFlow.push(call => {
        if (!admitCall(call)) return undefined;
        const cookieField = takeCookieField(call);
        const sessionCookie = sessionCookieIn(cookieField, options);
        let via: Arrival | undefined;
        let presented: Presented;
        if (support) {
            const carried = support.carriers.incoming(call.conn, sessionCookie);
            via = carried.via;
            presented = carried.via === 'connection' ? carried.presented : carried.via === undefined ? undefined : verify(carried.value, ctx, call.logger);
        } else if (sessionCookie !== undefined) {
            via = 'body';
            presented = verify(sessionCookie, ctx, call.logger);
        }
        const cookies = new AppCookies(cookieField, options);
        call.cookie = cookies;
        call.session = new CallInFlight(new CallSession(ctx, presented, call.conn, call), via, cookies);
        return Promise.resolve(call);
    });
}

/** Tampered, malformed or signed with a retired secret: no session, the client drops it, the audit hook hears of it. */
function verify(value: unknown, { codec, audit }: PluginContext, logger: Logger): Presented {
    if (value instanceof DuplicateSessionCookies) {
        audit.emitDuplicate(value.values, logger);
        return 'invalid';
    }
    const verified = codec.verify(value);
    if (verified) return verified;
    audit.emitTampered(String(value).slice(0, 200), logger);
    return 'invalid';
}

/**
 * `__cookie` out of the request: the call gets a fresh req without it, so TSRPC never logs it and
 * the caller's object is not mutated.
 */
function takeCookieField(call: ApiCall): unknown {
    const req: unknown = call.req;
    if (typeof req !== 'object' || req === null || !('__cookie' in req)) return undefined;
    const { __cookie, ...rest } = req;
    // `req` is readonly to handlers, not to the flow that prepares it. An assignment, not
    // Reflect.set: that one takes V8's generic runtime path on every call.
    (call as { req: unknown }).req = rest;
    return __cookie;
}
