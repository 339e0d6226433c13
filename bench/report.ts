import type { Measurement } from './runScenarios';
import type { Scenario } from './scenarios';
import { medianBy } from './stats';

export interface ScenarioOutcome {
    scenario: Scenario;
    /** One per repeat. */
    runs: Measurement[];
    skipped?: string;
}

export type Mark = 'met' | 'BELOW';

/** One table line: the median run of a scenario, its ratio, and each figure against its goal. */
export interface SummaryRow {
    id: string;
    description: string;
    skipped?: string;
    callsPerSecond?: number;
    p50Ms?: number;
    p99Ms?: number;
    /** calls/s over the median calls/s of the framework's bare baseline in the same run. */
    ratio?: number;
    ratioGoal?: { min: number; mark: Mark };
    storeOpsPerCall?: number;
    storeOpsGoal?: { expected: number; mark: Mark };
    reference?: string;
    errors?: number;
    firstError?: string;
    serverCpu?: number;
    /** Server CPU time per call: less sensitive than calls/s to other programs taking cores away. */
    serverMicrosPerCall?: number;
    generatorCpu?: number;
    otherCpu?: number;
    /** (max − min) / median of calls/s over the repeats. */
    spread?: number;
}

export function summarize(outcomes: readonly ScenarioOutcome[]): SummaryRow[] {
    const medians = new Map(outcomes.filter(o => o.runs.length > 0).map(o => [o.scenario.id, medianBy(o.runs, r => r.callsPerSecond)]));
    return outcomes.map(({ scenario, runs, skipped }) => {
        const base = { id: scenario.id, description: scenario.description, ...(scenario.goal.reference && { reference: scenario.goal.reference }) };
        const median = medians.get(scenario.id);
        if (skipped || !median) return { ...base, skipped: skipped ?? 'not run' };
        const baseline = scenario.baseline ? medians.get(scenario.baseline) : undefined;
        const ratio = baseline ? median.callsPerSecond / baseline.callsPerSecond : undefined;
        const { minRatio, storeOpsPerCall: expectedOps } = scenario.goal;
        const rates = runs.map(r => r.callsPerSecond);
        return {
            ...base,
            callsPerSecond: median.callsPerSecond,
            p50Ms: median.p50Ms,
            p99Ms: median.p99Ms,
            ...(ratio !== undefined && { ratio }),
            ...(ratio !== undefined && minRatio !== undefined && { ratioGoal: { min: minRatio, mark: mark(ratio >= minRatio) } }),
            ...(median.storeOpsPerCall !== undefined && { storeOpsPerCall: median.storeOpsPerCall }),
            ...(expectedOps !== undefined && median.storeOpsPerCall !== undefined
                && { storeOpsGoal: { expected: expectedOps, mark: mark(median.storeOpsPerCall === expectedOps) } }),
            errors: runs.reduce((sum, r) => sum + r.errors, 0),
            ...(runs.find(r => r.firstError) && { firstError: runs.find(r => r.firstError)!.firstError }),
            serverCpu: median.serverCpu,
            serverMicrosPerCall: median.serverCpu / median.callsPerSecond * 1e6,
            generatorCpu: median.generatorCpu,
            otherCpu: median.otherCpu,
            ...(runs.length > 1 && { spread: (Math.max(...rates) - Math.min(...rates)) / median.callsPerSecond }),
        };
    });
}

function mark(met: boolean): Mark {
    return met ? 'met' : 'BELOW';
}

const COLUMNS: { title: string; right?: boolean; cell(row: SummaryRow): string }[] = [
    { title: 'scenario', cell: r => r.id },
    { title: 'calls/s', right: true, cell: r => fixed(r.callsPerSecond, 0) },
    { title: 'p50 ms', right: true, cell: r => fixed(r.p50Ms, 2) },
    { title: 'p99 ms', right: true, cell: r => fixed(r.p99Ms, 2) },
    { title: 'ratio', right: true, cell: r => fixed(r.ratio, 3) },
    { title: 'ratio goal', cell: r => (r.ratioGoal ? `>= ${r.ratioGoal.min.toFixed(2)} ${r.ratioGoal.mark}` : r.reference ?? '') },
    { title: 'store ops/call', right: true, cell: r => fixed(r.storeOpsPerCall, 3) },
    { title: 'ops goal', cell: r => (r.storeOpsGoal ? `= ${r.storeOpsGoal.expected} ${r.storeOpsGoal.mark}` : '') },
    { title: 'srv cpu', right: true, cell: r => fixed(r.serverCpu, 2) },
    { title: 'srv us/call', right: true, cell: r => fixed(r.serverMicrosPerCall, 0) },
    { title: 'gen cpu', right: true, cell: r => fixed(r.generatorCpu, 2) },
    { title: 'other cpu', right: true, cell: r => fixed(r.otherCpu, 2) },
    { title: 'errors', right: true, cell: r => (r.errors === undefined ? '' : String(r.errors)) },
];

const SPREAD_COLUMN = { title: 'spread', right: true, cell: (r: SummaryRow) => (r.spread === undefined ? '' : `${(r.spread * 100).toFixed(1)}%`) };

/** The table as text; skipped scenarios say why in place of their figures. */
export function formatTable(rows: readonly SummaryRow[]): string {
    const columns = rows.some(r => r.spread !== undefined) ? [...COLUMNS, SPREAD_COLUMN] : COLUMNS;
    const cells = rows.map(row => columns.map(c => c.cell(row)));
    const widths = columns.map((c, i) => Math.max(c.title.length, ...rows.map((row, j) => (row.skipped ? 0 : cells[j][i].length))));
    const line = (values: string[]) => values.map((v, i) => (columns[i].right ? v.padStart(widths[i]) : v.padEnd(widths[i]))).join('  ').trimEnd();
    const out = [line(columns.map(c => c.title)), widths.map(w => '-'.repeat(w)).join('  ')];
    rows.forEach((row, j) => out.push(row.skipped ? `${row.id.padEnd(widths[0])}  skipped: ${row.skipped}` : line(cells[j])));
    return out.join('\n');
}

/** What each scenario does, and the first error of any that had errors. */
export function formatNotes(rows: readonly SummaryRow[]): string {
    const width = Math.max(...rows.map(r => r.id.length));
    const notes = rows.map(r => `  ${r.id.padEnd(width)}  ${r.description}`);
    for (const r of rows) if (r.firstError) notes.push(`  ${r.id}: first error: ${r.firstError}`);
    return notes.join('\n');
}

/**
 * The Redis goals come from "half of express-session's overhead"; this recomputes that
 * bound from this run's express figures, next to the fixed goals.
 */
export function formatExpressComparison(rows: readonly SummaryRow[]): string | undefined {
    const ratio = (id: string) => rows.find(r => r.id === id)?.ratio;
    const read = ratio('express/http/redis-read');
    const write = ratio('express/http/redis-write');
    if (read === undefined || write === undefined) return undefined;
    const half = (r: number) => (1 - (1 - r) / 2).toFixed(2);
    return `express-session + connect-redis kept ${read.toFixed(2)} (read) and ${write.toFixed(2)} (write) of bare express in this run;`
        + ` half that overhead would mean >= ${half(read)} and >= ${half(write)} for TSRPC on Redis (fixed goals: 0.83, 0.79).`;
}

function fixed(value: number | undefined, digits: number): string {
    if (value === undefined) return '';
    if (Number.isNaN(value)) return 'n/a';
    return digits === 0 ? Math.round(value).toLocaleString('en-US') : value.toFixed(digits);
}
