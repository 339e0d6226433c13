import type { BaseServer } from 'tsrpc';
import { ConnectionBindings } from '../../connections/ConnectionBindings';
import { SessionContext } from '../../core/SessionContext';
import { CallCarriers } from '../../carriers/carriers';
import { refuseCrossSiteRequests } from '../../carriers/crossSite';
import { ConnectionModes } from '../../carriers/handshake';
import { SessionTickets } from '../../carriers/sessionTickets';
import { serveTicketExchange } from '../../carriers/ticketExchange';
import { isHttpServer, isWsServer } from '../serverKinds';

/** The plugin's shared parts, as the flows see them: bindings and devices of the connections room. */
export type PluginContext = SessionContext<ConnectionBindings>;

/** What carriers other than the body need; absent with the default `carriers: ['body']`. */
export interface CarrierSupport {
    carriers: CallCarriers;
    modes: ConnectionModes;
    tickets: SessionTickets;
    trustedOrigins: ReadonlySet<string>;
}

export function carrierSupport(ctx: PluginContext): CarrierSupport | undefined {
    const { carriers, httpCookie, secrets, now } = ctx.options;
    if (carriers.length === 1 && carriers[0] === 'body') return undefined;
    const modes = new ConnectionModes();
    const trustedOrigins = new Set(httpCookie.trustedOrigins);
    return { carriers: new CallCarriers(ctx, modes), modes, tickets: new SessionTickets(secrets, ctx.store, ctx.codec, now, ctx.telemetry), trustedOrigins };
}

/** The handshake (WebSocket), or the cross-site refusal and the ticket exchange (HTTP with `httpCookie`). */
export function installCarriers(server: BaseServer<any>, ctx: PluginContext, support: CarrierSupport): void {
    if (isWsServer(server)) {
        support.modes.install(server, ctx, support.trustedOrigins);
    } else if (isHttpServer(server) && ctx.options.carriers.includes('httpCookie')) {
        refuseCrossSiteRequests(server, support.trustedOrigins, ctx.telemetry);
        serveTicketExchange(server, ctx, support.tickets);
    }
}
