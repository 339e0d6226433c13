import type { Measurement } from './runScenarios';
import type { Scenario } from './scenarios';
import { medianBy } from './stats';

export interface ScenarioOutcome {
    scenario: Scenario;
    /** One per round, in round order. */
    runs: Measurement[];
    skipped?: string;
}

/** `n/a`: the figure a goal is relative to is too small to divide by (within the noise of zero). */
export type Mark = 'met' | 'MISSED' | 'n/a';

/** A figure over the rounds: its median and its range. */
export interface Spread {
    median: number;
    min: number;
    max: number;
}

/** One table line: the median round of a scenario, its cost over its baseline, and each figure against its goal. */
export interface SummaryRow {
    id: string;
    description: string;
    skipped?: string;
    callsPerSecond?: number;
    p50Ms?: number;
    p99Ms?: number;
    /** calls/s over the baseline's calls/s, both medians over the rounds. */
    ratio?: number;
    /** Server CPU time per call (µs): less sensitive than calls/s to other programs taking cores away. */
    serverMicros?: Spread;
    /** Its system (kernel) part, median round. */
    systemMicros?: number;
    /** The main thread's CPU µs per call, median round (by it): the rest of `serverMicros` ran on other threads. */
    mainThreadMicros?: number;
    /** Server sleeps and read/write syscalls per call, median round (by each). */
    sleepsPerCall?: number;
    ioSyscallsPerCall?: number;
    /** Garbage collections per 1,000 calls (scavenges/others) and GC pause µs per call, median round (by the pause). */
    gc?: { scavengesPerKCall: number; majorGcsPerKCall: number; micros: number };
    /** Server CPU µs per call over the baseline's (paired slices), over the rounds: the plugin's own cost. */
    extraMicros?: Spread;
    /** The extra µs over a second twin (`Scenario.alsoOver`), round by round; shown, not marked. */
    extraOverSecondTwin?: { id: string; micros: Spread };
    /** The goal on the extra µs, in words, and whether the median meets it. */
    cpuGoal?: { text: string; mark: Mark };
    storeOpsPerCall?: number;
    storeOpsGoal?: { expected: number; mark: Mark };
    /** Commands Redis ran per call (INFO commandstats over the window), median round; Redis stores only. */
    redisCommandsPerCall?: number;
    redisCommandsGoal?: { expected: number; mark: Mark };
    reference?: string;
    errors?: number;
    firstError?: string;
    serverCpu?: number;
    generatorCpu?: number;
    otherCpu?: number;
}

/** Store operations are counted exactly; a read's rare touch (once per touchAfterMs) is not a second round trip. */
const STORE_OPS_TOLERANCE = 0.01;

export function summarize(outcomes: readonly ScenarioOutcome[]): SummaryRow[] {
    const runsById = new Map(outcomes.filter(o => o.runs.length > 0 && !o.skipped).map(o => [o.scenario.id, o.runs]));
    const extras = new Map<string, number[]>();
    for (const [id, runs] of runsById) {
        const paired = runs.map(r => r.pairedExtraMicros).filter((us): us is number => us !== undefined);
        if (paired.length > 0) extras.set(id, paired);
    }
    return outcomes.map(({ scenario, runs, skipped }) => {
        const base = { id: scenario.id, description: scenario.description, ...(scenario.goal.reference && { reference: scenario.goal.reference }) };
        const own = runsById.get(scenario.id);
        if (skipped || !own) return { ...base, skipped: skipped ?? 'not run' };
        const median = medianBy(own, r => r.callsPerSecond);
        const baseline = scenario.baseline ? runsById.get(scenario.baseline) : undefined;
        const extra = extras.get(scenario.id);
        const expectedOps = scenario.goal.storeOpsPerCall;
        const ops = medianBy(own, r => r.storeOpsPerCall ?? NaN).storeOpsPerCall;
        const redisCommands = medianBy(own, r => r.redisCommandsPerCall ?? NaN).redisCommandsPerCall;
        const expectedCommands = scenario.goal.redisCommandsPerCall;
        return {
            ...base,
            callsPerSecond: median.callsPerSecond,
            p50Ms: median.p50Ms,
            p99Ms: median.p99Ms,
            ...(baseline && { ratio: median.callsPerSecond / medianBy(baseline, r => r.callsPerSecond).callsPerSecond }),
            serverMicros: spreadOf(own.map(r => r.serverMicrosPerCall)),
            systemMicros: medianBy(own, r => r.serverSystemMicrosPerCall).serverSystemMicrosPerCall,
            mainThreadMicros: medianBy(own, r => r.serverMainThreadMicrosPerCall).serverMainThreadMicrosPerCall,
            sleepsPerCall: medianBy(own, r => r.serverSleepsPerCall).serverSleepsPerCall,
            ioSyscallsPerCall: medianBy(own, r => r.serverIoSyscallsPerCall).serverIoSyscallsPerCall,
            gc: gcOf(medianBy(own, r => r.serverGcMicrosPerCall)),
            ...(extra && { extraMicros: spreadOf(extra) }),
            ...secondTwinOf(scenario, extras),
            ...cpuGoalOf(scenario, extras, runsById),
            ...(ops !== undefined && { storeOpsPerCall: ops }),
            ...(expectedOps !== undefined && ops !== undefined
                && { storeOpsGoal: { expected: expectedOps, mark: mark(expectedOps === 0 ? ops === 0 : Math.abs(ops - expectedOps) <= STORE_OPS_TOLERANCE) } }),
            ...(redisCommands !== undefined && { redisCommandsPerCall: redisCommands }),
            // A hot read's goal is none at all; the first read of each client's session fills the cache before the window.
            ...(expectedCommands !== undefined && redisCommands !== undefined
                && { redisCommandsGoal: { expected: expectedCommands, mark: mark(redisCommands <= expectedCommands + STORE_OPS_TOLERANCE) } }),
            errors: own.reduce((sum, r) => sum + r.errors, 0),
            ...(own.find(r => r.firstError) && { firstError: own.find(r => r.firstError)!.firstError }),
            serverCpu: median.serverCpu,
            generatorCpu: median.generatorCpu,
            otherCpu: median.otherCpu,
        };
    });
}

/** Below this, a scenario's extra µs is no base for a ratio: the paired slices' noise is about this size. */
const MIN_RATIO_BASE_MICROS = 0.5;

function cpuGoalOf(scenario: Scenario, extras: Map<string, number[]>, runsById: Map<string, Measurement[]>): Pick<SummaryRow, 'cpuGoal'> {
    const { maxExtraMicros, maxTimesExtraOf, maxMicrosOver } = scenario.goal;
    const extra = extras.get(scenario.id);
    if (maxExtraMicros !== undefined && extra) {
        return { cpuGoal: { text: `+<= ${maxExtraMicros}`, mark: mark(spreadOf(extra).median <= maxExtraMicros) } };
    }
    const other = maxTimesExtraOf && extras.get(maxTimesExtraOf.id);
    if (maxTimesExtraOf && extra && other) {
        // Beside the ratio of the extras (the goal), the ratio of whole calls: what the issue's probe compared.
        const whole = serverMicrosOf(runsById.get(scenario.id)) / serverMicrosOf(runsById.get(maxTimesExtraOf.id));
        const otherExtra = spreadOf(other).median;
        const name = shortId(maxTimesExtraOf.id);
        if (otherExtra < MIN_RATIO_BASE_MICROS) {
            return { cpuGoal: { text: `${name} +${otherExtra.toFixed(1)}, no ratio (whole call ${whole.toFixed(2)}x)`, mark: 'n/a' } };
        }
        const times = spreadOf(extra).median / otherExtra;
        return { cpuGoal: { text: `${times.toFixed(1)}x ${name} (whole call ${whole.toFixed(2)}x) <= ${maxTimesExtraOf.factor}x`, mark: mark(times <= maxTimesExtraOf.factor) } };
    }
    // Both extras are over the same bare twin, so their difference is one store over the other.
    const reference = maxMicrosOver && extras.get(maxMicrosOver.id);
    if (maxMicrosOver && extra && reference) {
        const over = spreadOf(roundByRound(extra, reference)).median;
        return { cpuGoal: { text: `+${over.toFixed(1)} over ${shortId(maxMicrosOver.id)} <= ${maxMicrosOver.micros}`, mark: mark(over <= maxMicrosOver.micros) } };
    }
    return {};
}

/** Both extras are over the same bare twin, so their difference is the scenario over the second twin. */
function secondTwinOf(scenario: Scenario, extras: Map<string, number[]>): Pick<SummaryRow, 'extraOverSecondTwin'> {
    const extra = extras.get(scenario.id);
    const twin = scenario.alsoOver && extras.get(scenario.alsoOver);
    if (!scenario.alsoOver || !extra || !twin) return {};
    return { extraOverSecondTwin: { id: scenario.alsoOver, micros: spreadOf(roundByRound(extra, twin)) } };
}

function gcOf(run: Measurement): SummaryRow['gc'] {
    return { scavengesPerKCall: run.serverScavengesPerKCall, majorGcsPerKCall: run.serverMajorGcsPerKCall, micros: run.serverGcMicrosPerCall };
}

/** Server µs per call of a scenario's median round (by that figure). */
function serverMicrosOf(runs: readonly Measurement[] | undefined): number {
    return runs ? medianBy(runs, r => r.serverMicrosPerCall).serverMicrosPerCall : NaN;
}

/** Differences of the rounds that both have: round i against round i. */
function roundByRound(own: readonly number[], base: readonly number[]): number[] {
    return own.slice(0, base.length).map((value, i) => value - base[i]);
}

function spreadOf(values: readonly number[]): Spread {
    return { median: medianBy(values, v => v), min: Math.min(...values), max: Math.max(...values) };
}

function shortId(id: string): string {
    return id.slice(id.lastIndexOf('/') + 1);
}

function mark(met: boolean): Mark {
    return met ? 'met' : 'MISSED';
}

const COLUMNS: { title: string; right?: boolean; cell(row: SummaryRow): string }[] = [
    { title: 'scenario', cell: r => r.id },
    { title: 'srv us/call', right: true, cell: r => fixed(r.serverMicros?.median, 1) },
    { title: 'sys us', right: true, cell: r => fixed(r.systemMicros, 1) },
    { title: 'main us', right: true, cell: r => fixed(r.mainThreadMicros, 1) },
    { title: 'sleeps', right: true, cell: r => fixed(r.sleepsPerCall, 2) },
    { title: 'rw sys', right: true, cell: r => fixed(r.ioSyscallsPerCall, 2) },
    { title: 'gc/1k calls', right: true, cell: r => (r.gc ? `${fixed(r.gc.scavengesPerKCall, 1)}/${fixed(r.gc.majorGcsPerKCall, 2)}` : '') },
    { title: 'gc us', right: true, cell: r => fixed(r.gc?.micros, 1) },
    { title: '+us/call', right: true, cell: r => fixed(r.extraMicros?.median, 1) },
    { title: '+us range', cell: r => (r.extraMicros ? `${r.extraMicros.min.toFixed(1)}..${r.extraMicros.max.toFixed(1)}` : '') },
    {
        title: '+us over 2nd twin',
        cell: r => (r.extraOverSecondTwin ? `${r.extraOverSecondTwin.micros.median.toFixed(1)} (${r.extraOverSecondTwin.micros.min.toFixed(1)}..${r.extraOverSecondTwin.micros.max.toFixed(1)}) ${shortId(r.extraOverSecondTwin.id)}` : ''),
    },
    { title: 'cpu goal', cell: r => (r.cpuGoal ? `${r.cpuGoal.text} ${r.cpuGoal.mark}` : r.reference ?? '') },
    { title: 'calls/s', right: true, cell: r => fixed(r.callsPerSecond, 0) },
    { title: 'ratio', right: true, cell: r => fixed(r.ratio, 3) },
    { title: 'p50 ms', right: true, cell: r => fixed(r.p50Ms, 2) },
    { title: 'p99 ms', right: true, cell: r => fixed(r.p99Ms, 2) },
    { title: 'ops/call', right: true, cell: r => fixed(r.storeOpsPerCall, 3) },
    { title: 'ops goal', cell: r => (r.storeOpsGoal ? `= ${r.storeOpsGoal.expected} ${r.storeOpsGoal.mark}` : '') },
    { title: 'redis/call', right: true, cell: r => fixed(r.redisCommandsPerCall, 3) },
    { title: 'redis goal', cell: r => (r.redisCommandsGoal ? `= ${r.redisCommandsGoal.expected} ${r.redisCommandsGoal.mark}` : '') },
    { title: 'srv cpu', right: true, cell: r => fixed(r.serverCpu, 2) },
    { title: 'gen cpu', right: true, cell: r => fixed(r.generatorCpu, 2) },
    { title: 'other cpu', right: true, cell: r => fixed(r.otherCpu, 2) },
    { title: 'errors', right: true, cell: r => (r.errors === undefined ? '' : String(r.errors)) },
];

/** The table as text; skipped scenarios say why in place of their figures. */
export function formatTable(rows: readonly SummaryRow[]): string {
    const cells = rows.map(row => COLUMNS.map(c => c.cell(row)));
    const widths = COLUMNS.map((c, i) => Math.max(c.title.length, ...rows.map((row, j) => (row.skipped ? 0 : cells[j][i].length))));
    const line = (values: string[]) => values.map((v, i) => (COLUMNS[i].right ? v.padStart(widths[i]) : v.padEnd(widths[i]))).join('  ').trimEnd();
    const out = [line(COLUMNS.map(c => c.title)), widths.map(w => '-'.repeat(w)).join('  ')];
    rows.forEach((row, j) => out.push(row.skipped ? `${row.id.padEnd(widths[0])}  skipped: ${row.skipped}` : line(cells[j])));
    return out.join('\n');
}

/** What each scenario does and what it is measured against, and the first error of any that had errors. */
export function formatNotes(rows: readonly SummaryRow[], scenarios: readonly Scenario[]): string {
    const width = Math.max(...rows.map(r => r.id.length));
    const baselineOf = new Map(scenarios.map(s => [s.id, s.baseline]));
    const notes = rows.map(r => {
        const baseline = baselineOf.get(r.id);
        return `  ${r.id.padEnd(width)}  ${r.description}${baseline ? ` (vs ${shortId(baseline)})` : ''}`;
    });
    for (const r of rows) if (r.firstError) notes.push(`  ${r.id}: first error: ${r.firstError}`);
    return notes.join('\n');
}

/**
 * Issue 7 set Redis goals from "half of express-session's overhead"; this recomputes that bound
 * from this run's express figures.
 */
export function formatExpressComparison(rows: readonly SummaryRow[]): string | undefined {
    const ratio = (id: string) => rows.find(r => r.id === id)?.ratio;
    const read = ratio('express/http/redis-read');
    const write = ratio('express/http/redis-write');
    if (read === undefined || write === undefined) return undefined;
    const half = (r: number) => (1 - (1 - r) / 2).toFixed(2);
    return `express-session + connect-redis kept ${read.toFixed(2)} (read) and ${write.toFixed(2)} (write) of bare express's calls/s in this run;`
        + ` half that overhead would mean >= ${half(read)} and >= ${half(write)} for TSRPC on Redis.`;
}

function fixed(value: number | undefined, digits: number): string {
    if (value === undefined) return '';
    if (Number.isNaN(value)) return 'n/a';
    return digits === 0 ? Math.round(value).toLocaleString('en-US') : value.toFixed(digits);
}
