import type { ApiCall, ApiReturn, BaseServer } from 'tsrpc';
import { TsrpcError } from '../tsrpcError';
import { CookieChanges } from '../../core/CookieChanges';
import { SessionTickets } from '../../carriers/sessionTickets';
import { withTicketRedacted } from '../../carriers/ticketRedaction';
import type { CookieUpdate, CookieUpdates } from '../../../../../shared/protocols/base';
import { CallInFlight } from './callFlow';
import { CarrierSupport, PluginContext } from './carrierSupport';

type ReturnFlowItem = { call: ApiCall; return: ApiReturn<any> };

/** Every call's answer: its session saved, its cookie changes (the session cookie's by its carrier) added. */
export function installReturnFlow(server: BaseServer<any>, ctx: PluginContext, support: CarrierSupport | undefined): void {
    server.flows.preApiReturnFlow.push(v => {
        const session = v.call.session;
        const inFlight = session instanceof CallInFlight ? session.take() : undefined;
        if (!inFlight) return v;
        // Most calls need no store step (never touched, a rejected sid, a read) or one the store did
        // at once (a write to memory or a seal): answer them, with any cookie changes, without
        // awaiting anything. A settled promise, as in the call flow.
        const saving = inFlight.callSession.finish();
        return saving ? saveAndAnswer(v, saving, inFlight, ctx, support) : Promise.resolve(answer(v, v.return, inFlight, ctx, support));
    });
}

async function saveAndAnswer<T extends ReturnFlowItem>(
    v: T, saving: Promise<void>, inFlight: CallInFlight, ctx: PluginContext, support: CarrierSupport | undefined,
): Promise<T> {
    let ret = v.return;
    try {
        await saving;
    } catch (e) {
        // The handler's answer stands on unsaved state: fail the call rather than pretend.
        ret = { isSucc: false, err: e instanceof TsrpcError ? e : internalError(e, v.call) };
    }
    return answer(v, ret, inFlight, ctx, support);
}

/** `ret` with the call's cookie changes, the session cookie's by its reply carrier; a ticket first needs the store. */
function answer<T extends ReturnFlowItem>(
    v: T, ret: ApiReturn<any>, inFlight: CallInFlight, ctx: PluginContext, support: CarrierSupport | undefined,
): T | Promise<T> {
    const update = inFlight.callSession.sessionCookie;
    const { cookies } = inFlight;
    if (support) {
        const ticketed = support.carriers.route(v.call.conn, inFlight.via, update, cookies);
        if (ticketed) return answerWithTicket(v, ret, cookies.changes, ticketed, support.tickets);
    } else if (update) {
        cookies.changing().put(ctx.options.cookieName, update);
    }
    // v is TSRPC's own object for this flow: its return is ours to replace.
    v.return = withCookieUpdates(ret, cookies.changes);
    return v;
}

/** The answer with a session ticket in place of the session cookie (a WebSocket in httpCookie mode). */
async function answerWithTicket<T extends ReturnFlowItem>(
    v: T, ret: ApiReturn<any>, changes: CookieChanges | undefined, update: CookieUpdate, tickets: SessionTickets,
): Promise<T> {
    try {
        const ticket = await tickets.issue(update);
        return { ...v, return: withCookieUpdates(ret, changes, ticket) };
    } catch (e) {
        // The browser's cookie would not follow the session: fail the call rather than pretend.
        return { ...v, return: withCookieUpdates({ isSucc: false, err: e instanceof TsrpcError ? e : internalError(e, v.call) }, changes) };
    }
}

/** What TSRPC itself answers for a handler's crash; the cause, which may name internals, is only logged. */
function internalError(cause: unknown, call: ApiCall): TsrpcError {
    call.logger.error('[tsrpc-session] saving the session failed:', cause);
    return new TsrpcError('Internal Server Error', { type: TsrpcError.Type.ServerError, code: 'INTERNAL_ERR' });
}

function withCookieUpdates(ret: ApiReturn<any>, changes: CookieChanges | undefined, ticket?: string): ApiReturn<any> {
    const updates = changes?.toWire();
    if (!updates && ticket === undefined) return ret;
    if (ret.isSucc && ticket === undefined) return { isSucc: true, res: withCookieField(ret.res, updates) };
    const added = { ...(updates && { __cookie: updates }), ...(ticket !== undefined && { __sessionTicket: ticket }) };
    const redact = <A extends object>(answer: A): A => ticket === undefined ? answer : withTicketRedacted(answer);
    if (ret.isSucc) return { isSucc: true, res: redact({ ...ret.res, ...added }) };
    return { isSucc: false, err: redact(new TsrpcError({ ...ret.err, message: ret.err.message, type: ret.err.type, ...added })) };
}

/**
 * The handler's answer with `__cookie` added, built from a literal that holds it: V8 adds a new
 * field to a spread copy on a slow path (0.4 µs here), and every call that changes a cookie (a
 * rejected sid's) comes here.
 */
function withCookieField(res: object, updates: CookieUpdates | undefined): object {
    const answer = { __cookie: updates, ...res };
    answer.__cookie = updates;
    return answer;
}
