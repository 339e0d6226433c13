import type { Tracer } from '@opentelemetry/api';
import { createInstruments, Instruments, INSTRUMENTATION_SCOPE } from './instruments';
import { otelApi } from './otelApi';

/** What the app has registered, as the plugin reports to it: undefined fields for no-op providers. */
export interface Registered {
    tracer: Tracer | undefined;
    instruments: Instruments | undefined;
}

// The API's own no-op singletons, to tell "nothing registered" apart without creating anything.
const noopMeter = otelApi?.createNoopMeter();
const noopTracerProvider: unknown = otelApi && new otelApi.ProxyTracerProvider().getDelegate();

let seenMeterProvider: unknown;
let seenTracerProvider: unknown;
/** One per process, as the providers are: updated in place when the app registers or swaps one. */
const registered: Registered = { tracer: undefined, instruments: undefined };

/**
 * The tracer and instruments of the providers registered right now, or undefined when none is:
 * two lookups in the API's global registry and two comparisons, nothing allocated. An app may
 * register its SDK after enableSession(); this notices it at the next call.
 */
export function registeredProviders(): Registered | undefined {
    if (!otelApi) return undefined;
    const meterProvider = otelApi.metrics.getMeterProvider();
    if (meterProvider !== seenMeterProvider) {
        seenMeterProvider = meterProvider;
        const meter = meterProvider.getMeter(INSTRUMENTATION_SCOPE);
        registered.instruments = meter === noopMeter ? undefined : createInstruments(meter);
    }
    // The global tracer provider is a proxy whose delegate is what the app registered.
    const proxy = otelApi.trace.getTracerProvider() as Partial<Pick<InstanceType<typeof otelApi.ProxyTracerProvider>, 'getDelegate'>>;
    const tracerProvider = typeof proxy.getDelegate === 'function' ? proxy.getDelegate() : proxy as ReturnType<typeof otelApi.trace.getTracerProvider>;
    if (tracerProvider !== seenTracerProvider) {
        seenTracerProvider = tracerProvider;
        registered.tracer = tracerProvider === noopTracerProvider ? undefined : tracerProvider.getTracer(INSTRUMENTATION_SCOPE);
    }
    return registered.tracer || registered.instruments ? registered : undefined;
}
