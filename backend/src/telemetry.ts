import { metrics, trace } from '@opentelemetry/api';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, ConsoleSpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';

/** The example's OpenTelemetry SDK, as an app registers it; the plugin finds it on its own. */
export interface ExampleTelemetry {
    /** Where Prometheus scrapes, when METRICS_PORT is set. */
    metricsUrl: string | undefined;
    stop(): Promise<void>;
}

/**
 * With METRICS_PORT, serves the plugin's metrics as Prometheus text at
 * http://127.0.0.1:$METRICS_PORT/metrics; with OTEL_TRACES=console, prints every span.
 */
export async function startExampleTelemetry(env: NodeJS.ProcessEnv): Promise<ExampleTelemetry> {
    const stops: (() => Promise<void>)[] = [];
    let metricsUrl: string | undefined;
    if (env.METRICS_PORT !== undefined) {
        const port = Number(env.METRICS_PORT);
        if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new TypeError(`METRICS_PORT must be a port number, not '${env.METRICS_PORT}'`);
        const exporter = new PrometheusExporter({ host: '127.0.0.1', port, preventServerStart: true });
        await exporter.startServer();
        const provider = new MeterProvider({ readers: [exporter] });
        metrics.setGlobalMeterProvider(provider);
        metricsUrl = `http://127.0.0.1:${port}/metrics`;
        stops.push(async () => {
            metrics.disable();
            await provider.shutdown();
        });
    }
    if (env.OTEL_TRACES !== undefined) {
        if (env.OTEL_TRACES !== 'console') throw new TypeError(`OTEL_TRACES takes 'console', not '${env.OTEL_TRACES}'`);
        const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(new ConsoleSpanExporter())] });
        trace.setGlobalTracerProvider(provider);
        stops.push(async () => {
            trace.disable();
            await provider.shutdown();
        });
    }
    return {
        metricsUrl,
        async stop() {
            await Promise.all(stops.map(stop => stop()));
        },
    };
}
