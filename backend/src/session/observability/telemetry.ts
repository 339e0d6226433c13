import type { Attributes, Span } from '@opentelemetry/api';
import { SessionErrorCode } from '../plugin/errors';
import { SESSION_STORE_METHODS } from '../stores/SessionStore';
import type { StoreOperation } from '../stores/StoreWrapper';
import { ATTR, SessionEvent } from './instruments';
import { otelApi } from './otelApi';
import { Registered, registeredProviders } from './providers';

/** How a store operation ended: 'unavailable' is what the call saw as SESSION_STORE_UNAVAILABLE. */
type StoreOutcome = 'ok' | 'unavailable' | 'error';

/** Attribute sets of one store operation, built once: the hot path allocates none. */
interface OperationAttributes {
    spanName: string;
    started: Attributes;
    ended: Record<StoreOutcome, Attributes>;
}

/** How long an error text from a store driver may be in a span event. */
const MAX_REASON_LENGTH = 200;

/**
 * The plugin's OpenTelemetry spans and metrics, for whatever providers the app registered.
 * Attributes hold only operation names, the store's kind, outcomes and reasons: never an id, a
 * ticket, a cookie value or a user id. Disabled, or with no provider registered, each method is
 * a check and a return.
 */
export class SessionTelemetry {
    readonly #enabled: boolean;
    readonly #storeAttributes: Attributes;
    readonly #operations: Record<StoreOperation, OperationAttributes>;
    readonly #reasons = new Map<string, Attributes>();
    /** A span from the revocation channel's loss to its return. */
    #channelOutage: Span | undefined;

    constructor(enabled: boolean, storeKind: string) {
        this.#enabled = enabled;
        this.#storeAttributes = Object.freeze({ [ATTR.store]: storeKind });
        const operations = {} as Record<StoreOperation, OperationAttributes>;
        for (const operation of SESSION_STORE_METHODS) {
            const started = Object.freeze({ [ATTR.operation]: operation, [ATTR.store]: storeKind });
            const ended = (outcome: StoreOutcome) => Object.freeze({ ...started, [ATTR.outcome]: outcome });
            operations[operation] = { spanName: `tsrpc_session.store.${operation}`, started, ended: { ok: ended('ok'), unavailable: ended('unavailable'), error: ended('error') } };
        }
        this.#operations = operations;
    }

    /**
     * The providers to report to, or undefined when off or none is registered: callers on a hot
     * path check this before they build anything for `measureStore`.
     */
    active(): Registered | undefined {
        return this.#enabled ? registeredProviders() : undefined;
    }

    /**
     * Runs a store operation inside a span named after it (child of the active span, if any) and
     * times it into the duration histogram, for the providers `active()` returned.
     */
    async measureStore<T>({ tracer, instruments }: Registered, operation: StoreOperation, run: () => Promise<T>): Promise<T> {
        const attributes = this.#operations[operation];
        const span = tracer?.startSpan(attributes.spanName, { kind: otelApi!.SpanKind.CLIENT, attributes: attributes.started });
        const startedAt = performance.now();
        let outcome: StoreOutcome = 'ok';
        try {
            return await run();
        } catch (e) {
            outcome = (e as { code?: unknown })?.code === SessionErrorCode.StoreUnavailable ? 'unavailable' : 'error';
            throw e;
        } finally {
            const ended = attributes.ended[outcome];
            instruments?.storeDuration.record((performance.now() - startedAt) / 1000, ended);
            if (outcome === 'unavailable') instruments?.storeUnavailable.add(1, attributes.started);
            if (span) {
                span.setAttribute(ATTR.outcome, outcome);
                if (outcome !== 'ok') span.setStatus({ code: otelApi!.SpanStatusCode.ERROR, message: outcome });
                span.end();
            }
        }
    }

    /** A session event (the audit hook's), counted by type; rejections by reason. */
    countSession(event: SessionEvent, reason?: string): void {
        const instruments = this.active()?.instruments;
        if (!instruments) return;
        instruments.sessions[event].add(1, reason === undefined ? this.#storeAttributes : this.#reasonAttributes(reason));
    }

    #reasonAttributes(reason: string): Attributes {
        let attributes = this.#reasons.get(reason);
        if (!attributes) this.#reasons.set(reason, attributes = Object.freeze({ ...this.#storeAttributes, [ATTR.reason]: reason }));
        return attributes;
    }

    /** A WebSocket bound to a session (+1) or released from it (-1). */
    socketsBound(delta: 1 | -1): void {
        this.active()?.instruments?.socketsBound.add(delta, this.#storeAttributes);
    }

    ticketIssued(): void {
        this.active()?.instruments?.ticketsIssued.add(1, this.#storeAttributes);
    }

    ticketRedeemed(): void {
        this.active()?.instruments?.ticketsRedeemed.add(1, this.#storeAttributes);
    }

    /** A request or WebSocket upgrade the CSRF check refused. */
    csrfRefused(transport: 'http' | 'websocket'): void {
        this.active()?.instruments?.csrfRefused.add(1, transport === 'http' ? HTTP : WEBSOCKET);
    }

    /** The revocation channel was lost: a span opens, with the driver's reason as an event. */
    channelDown(reason: string): void {
        const tracer = this.active()?.tracer;
        if (!tracer || this.#channelOutage) return;
        this.#channelOutage = tracer.startSpan('tsrpc_session.revocation_channel.outage', { root: true, attributes: this.#storeAttributes });
        this.#channelOutage.addEvent('tsrpc_session.revocation_channel.down', { [ATTR.reason]: reason.slice(0, MAX_REASON_LENGTH) });
    }

    /** The revocation channel is back: its outage span ends with a reconnected event. */
    channelUp(): void {
        const outage = this.#channelOutage;
        if (!outage) return;
        this.#channelOutage = undefined;
        outage.addEvent('tsrpc_session.revocation_channel.reconnected');
        outage.end();
    }
}

const HTTP: Attributes = Object.freeze({ [ATTR.transport]: 'http' });
const WEBSOCKET: Attributes = Object.freeze({ [ATTR.transport]: 'websocket' });

/**
 * Counts HTTP requests refused for their size, for `limitRequestSize`, which runs apart from any
 * plugin: it needs no store and no options beyond its switch.
 */
export function countRequestTooLarge(): void {
    registeredProviders()?.instruments?.requestsTooLarge.add(1);
}
