import { metrics, trace } from '@opentelemetry/api';
import { MeterProvider, PeriodicExportingMetricReader, InMemoryMetricExporter, AggregationTemporality } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, BatchSpanProcessor, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { HttpServer } from 'tsrpc';
import { enableSession, MemoryStore } from 'tsrpc-session/server';
import { serviceProto } from './protocols/serviceProto';
import { APP_COOKIE, BENCH_SECRETS, FIXED_SID, SETUP_VALUE } from './server/ipc';
import { implementBareTwins, implementBenchApis } from './server/tsrpcServer';
import { medianBy } from './stats';

/**
 * What OpenTelemetry costs the plugin, in process (`server.callApi`, as `bench:inner`): the same
 * calls on a plugin with `telemetry: false`, on one with telemetry on and no provider registered
 * (the default for an app without an SDK), and on that one with the SDK registered (spans batched
 * to an exporter that drops them, metrics aggregated in memory). CPU µs per call, median of rounds
 * that interleave the variants.
 */
const SLICE = 5_000;
const ROUNDS = 15;
const silentLogger = { debug() {}, log() {}, warn() {}, error() {} };

/** Spans batched and exported, as to a collector, but dropped. */
const droppingExporter: SpanExporter = { export: (_spans, done) => done({ code: 0 /* ExportResultCode.SUCCESS */ }), shutdown: async () => undefined };

async function plugged(telemetry: boolean) {
    const server = new HttpServer(serviceProto, { logger: silentLogger, logLevel: 'none' });
    enableSession(server, { secrets: BENCH_SECRETS, store: new MemoryStore(), telemetry });
    implementBenchApis(server, () => undefined);
    const setup = await server.callApi('Setup', { value: SETUP_VALUE });
    const sid = setup.isSucc ? setup.res.__cookie?.sid.value : undefined;
    if (!sid) throw new Error('Setup gave no session cookie');
    return { server, valid: { sid, [APP_COOKIE.name]: APP_COOKIE.value } };
}

async function main(): Promise<void> {
    const bare = new HttpServer(serviceProto, { logger: silentLogger, logLevel: 'none' });
    implementBareTwins(bare, () => undefined);
    const off = await plugged(false);
    const on = await plugged(true);
    const forged = { sid: FIXED_SID, [APP_COOKIE.name]: APP_COOKIE.value };
    const name = APP_COOKIE.name;
    const calls = {
        'memory-read': (p: typeof off) => p.server.callApi('SessionRead', { __cookie: p.valid }),
        'memory-write': (p: typeof off) => p.server.callApi('SessionWrite', { value: 'w', __cookie: p.valid }),
        'rejected': (p: typeof off) => p.server.callApi('CookieGet', { name, __cookie: forged }),
    };
    const bareCalls = {
        'memory-read': () => bare.callApi('SessionRead', { __cookie: forged }),
        'memory-write': () => bare.callApi('SessionWrite', { value: 'w', __cookie: forged }),
        'rejected': () => bare.callApi('CookieGet', { name, __cookie: forged }),
    };
    const cpuPerCall = async (run: () => Promise<unknown>) => {
        const started = process.cpuUsage();
        for (let i = 0; i < SLICE; i++) await run();
        const cpu = process.cpuUsage(started);
        return (cpu.user + cpu.system) / SLICE;
    };
    const withSdk = async <T>(run: () => Promise<T>): Promise<T> => {
        const tracerProvider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(droppingExporter)] });
        const meterProvider = new MeterProvider({
            readers: [new PeriodicExportingMetricReader({ exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE), exportIntervalMillis: 60_000 })],
        });
        trace.setGlobalTracerProvider(tracerProvider);
        metrics.setGlobalMeterProvider(meterProvider);
        try {
            return await run();
        } finally {
            trace.disable();
            metrics.disable();
            await Promise.all([tracerProvider.shutdown(), meterProvider.shutdown()]);
        }
    };
    const rows = Object.keys(calls) as (keyof typeof calls)[];
    const absolute = new Map<string, number[]>();
    const extra = new Map<string, number[]>();
    const push = (map: Map<string, number[]>, key: string, value: number) => map.set(key, [...(map.get(key) ?? []), value]);
    // Each variant is paired with a slice of the telemetry-off plugin right before or after it
    // (the order alternates), so a busy machine weighs on both halves of a pair alike.
    for (let round = 0; round < ROUNDS; round++) {
        for (const row of rows) {
            push(absolute, `${row}/bare`, await cpuPerCall(bareCalls[row]));
            for (const variant of ['no provider', 'SDK registered'] as const) {
                const measured = () => (variant === 'SDK registered' ? withSdk(() => cpuPerCall(() => calls[row](on))) : cpuPerCall(() => calls[row](on)));
                const offFirst = round % 2 === 0;
                const first = offFirst ? await cpuPerCall(() => calls[row](off)) : await measured();
                const second = offFirst ? await measured() : await cpuPerCall(() => calls[row](off));
                const [offUs, variantUs] = offFirst ? [first, second] : [second, first];
                push(absolute, `${row}/telemetry off`, offUs);
                push(absolute, `${row}/${variant}`, variantUs);
                push(extra, `${row}/${variant}`, variantUs - offUs);
            }
        }
    }
    const median = (values: number[]) => medianBy(values, v => v);
    console.log(`server.callApi, CPU µs per call: median of ${ROUNDS} rounds of ${SLICE}-call slices; extras are medians of paired slices`);
    const variants = ['bare', 'telemetry off', 'no provider', 'SDK registered'];
    console.log(`${'row'.padEnd(14)}${variants.map(v => v.padStart(16)).join('')}${'no provider − off'.padStart(20)}${'SDK − off'.padStart(12)}`);
    for (const row of rows) {
        const cells = variants.map(v => median(absolute.get(`${row}/${v}`)!).toFixed(2).padStart(16)).join('');
        const noProvider = median(extra.get(`${row}/no provider`)!).toFixed(2).padStart(20);
        const sdk = median(extra.get(`${row}/SDK registered`)!).toFixed(2).padStart(12);
        console.log(`${row.padEnd(14)}${cells}${noProvider}${sdk}`);
    }
}

main().catch(e => {
    console.error(e);
    process.exitCode = 1;
});
