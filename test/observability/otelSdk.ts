import { context, metrics, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
    AggregationTemporality, DataPoint, Histogram, InMemoryMetricExporter, MeterProvider, MetricData, PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';

/** The real OpenTelemetry SDK, registered globally as an app would, with in-memory exporters. */
export class OtelSdk {
    readonly spanExporter = new InMemorySpanExporter();
    readonly metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    readonly #reader = new PeriodicExportingMetricReader({ exporter: this.metricExporter, exportIntervalMillis: 3_600_000 });
    readonly #tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(this.spanExporter)] });
    readonly #meterProvider = new MeterProvider({ readers: [this.#reader] });
    readonly #contextManager = new AsyncLocalStorageContextManager().enable();

    register(): this {
        context.setGlobalContextManager(this.#contextManager);
        trace.setGlobalTracerProvider(this.#tracerProvider);
        metrics.setGlobalMeterProvider(this.#meterProvider);
        return this;
    }

    get spans(): ReadableSpan[] {
        return this.spanExporter.getFinishedSpans();
    }

    /** Every metric the plugin reported so far (cumulative). */
    async collect(): Promise<MetricData[]> {
        this.metricExporter.reset();
        await this.#reader.forceFlush();
        const exported = this.metricExporter.getMetrics();
        return exported.flatMap(r => r.scopeMetrics).filter(s => s.scope.name === 'tsrpc-session').flatMap(s => s.metrics);
    }

    async unregister(): Promise<void> {
        trace.disable();
        metrics.disable();
        context.disable();
        await Promise.all([this.#tracerProvider.shutdown(), this.#meterProvider.shutdown()]);
    }
}

/** The points of one metric, or an empty list when it never reported. */
export function pointsOf(collected: MetricData[], name: string): DataPoint<unknown>[] {
    return (collected.find(m => m.descriptor.name === name)?.dataPoints ?? []) as DataPoint<unknown>[];
}

/** The sum of a counter's points whose attributes include `where`. */
export function sumOf(collected: MetricData[], name: string, where: Record<string, string> = {}): number {
    return pointsOf(collected, name)
        .filter(p => Object.entries(where).every(([k, v]) => p.attributes[k] === v))
        .reduce((total, p) => total + (p.value as number), 0);
}

/** How many values a histogram recorded under attributes that include `where`. */
export function histogramCount(collected: MetricData[], name: string, where: Record<string, string>): number {
    return pointsOf(collected, name)
        .filter(p => Object.entries(where).every(([k, v]) => p.attributes[k] === v))
        .reduce((total, p) => total + (p.value as Histogram).count, 0);
}

/** Every attribute value the spans, their events and the metric points carry, as text. */
export function everyAttributeValue(spans: readonly ReadableSpan[], collected: MetricData[]): string[] {
    const values: string[] = [];
    const add = (attributes: Record<string, unknown> | undefined) => {
        for (const value of Object.values(attributes ?? {})) values.push(JSON.stringify(value));
    };
    for (const span of spans) {
        values.push(span.name);
        add(span.attributes);
        for (const event of span.events) add(event.attributes);
    }
    for (const metric of collected) for (const point of metric.dataPoints) add(point.attributes);
    return values;
}
