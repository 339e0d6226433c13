import type { Counter, Histogram, Meter, UpDownCounter } from '@opentelemetry/api';

/** The instrumentation scope every span and metric of the plugin is reported under. */
export const INSTRUMENTATION_SCOPE = 'tsrpc-session';

/** The attributes the plugin sets: never an id, a ticket, a cookie value or a user id. */
export const ATTR = {
    operation: 'tsrpc_session.store.operation',
    store: 'tsrpc_session.store.kind',
    outcome: 'tsrpc_session.outcome',
    reason: 'tsrpc_session.reason',
    transport: 'tsrpc_session.transport',
} as const;

/** Session events counted, one counter each (`tsrpc_session.sessions.<event>`). */
export const SESSION_EVENTS = ['created', 'regenerated', 'renewed', 'destroyed', 'expired', 'revoked', 'evicted', 'rejected'] as const;
export type SessionEvent = typeof SESSION_EVENTS[number];

/** Every instrument of the plugin, created once per meter provider. */
export interface Instruments {
    storeDuration: Histogram;
    storeUnavailable: Counter;
    sessions: Record<SessionEvent, Counter>;
    socketsBound: UpDownCounter;
    ticketsIssued: Counter;
    ticketsRedeemed: Counter;
    csrfRefused: Counter;
    requestsTooLarge: Counter;
}

/** Store round trips: from a fraction of a millisecond (memory, a local Redis) to the 5 s timeout. */
const STORE_DURATION_BUCKETS_S = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export function createInstruments(meter: Meter): Instruments {
    const counter = (name: string, description: string, unit: string) => meter.createCounter(`tsrpc_session.${name}`, { description, unit });
    const sessions = {} as Record<SessionEvent, Counter>;
    for (const event of SESSION_EVENTS) {
        sessions[event] = counter(`sessions.${event}`, `Sessions ${event}${event === 'rejected' ? ' (by reason: tampered or unknown)' : ''}.`, '{session}');
    }
    return {
        storeDuration: meter.createHistogram('tsrpc_session.store.operation.duration', {
            description: 'Duration of session store operations, by operation, store kind and outcome.',
            unit: 's',
            advice: { explicitBucketBoundaries: STORE_DURATION_BUCKETS_S },
        }),
        storeUnavailable: counter('store.unavailable', 'Store operations that failed or timed out (the call got SESSION_STORE_UNAVAILABLE).', '{operation}'),
        sessions,
        socketsBound: meter.createUpDownCounter('tsrpc_session.sockets.bound', { description: 'WebSocket connections bound to a session.', unit: '{connection}' }),
        ticketsIssued: counter('tickets.issued', 'Session tickets issued to WebSockets in httpCookie mode.', '{ticket}'),
        ticketsRedeemed: counter('tickets.redeemed', 'Session tickets redeemed for a session cookie.', '{ticket}'),
        csrfRefused: counter('csrf.refused', 'Cross-site requests and WebSocket upgrades refused by the CSRF check.', '{request}'),
        requestsTooLarge: counter('requests.too_large', 'HTTP requests refused for their size (REQUEST_TOO_LARGE).', '{request}'),
    };
}
