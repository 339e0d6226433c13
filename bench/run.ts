import { mkdir, writeFile } from 'fs/promises';
import os from 'os';
import path from 'path';
import { BenchOptions, parseBenchOptions, USAGE } from './cli';
import { deleteKeysWithPrefix, redisUnavailableReason } from './redis';
import { formatExpressComparison, formatNotes, formatTable, ScenarioOutcome, summarize } from './report';
import { Measurement, runTransportGroup, RunSettings } from './runScenarios';
import { groupByTransport, Scenario, selectScenarios } from './scenarios';
import { formatSealCost, measureSealCost, SealCost } from './sealCost';

const log = (line: string) => process.stderr.write(`${line}\n`);

// Ctrl-C or a kill goes through process.exit, whose handler in serverProcess kills the servers.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

async function main(): Promise<void> {
    let options: BenchOptions | undefined;
    try {
        options = parseBenchOptions(process.argv.slice(2));
    } catch (e) {
        log(`${(e as Error).message}\n\n${USAGE}`);
        process.exitCode = 2;
        return;
    }
    if (!options) return;

    const scenarios = selectScenarios(options.scenarios, options.transports);
    const settings: RunSettings = {
        concurrency: options.concurrency,
        warmupMs: options.warmupSeconds * 1000,
        durationMs: options.durationSeconds * 1000,
        sliceMs: options.sliceSeconds * 1000,
        httpClient: options.httpClient,
        redisUrl: options.redisUrl,
        // Unique per run: cleanup deletes exactly these keys and nothing of anyone else's.
        redisPrefix: `tsrpc-session-bench:${process.pid}:${Date.now()}:`,
        ...(options.profileDir && { profileDir: options.profileDir }),
    };
    const skips = await skipReasons(scenarios, options.redisUrl);
    if (options.profileDir) await mkdir(options.profileDir, { recursive: true });
    const runs = new Map<string, Measurement[]>(scenarios.map(s => [s.id, []]));
    const startedAt = new Date();

    log(`benchmark: ${scenarios.length} scenarios x ${options.repeats} round(s), ${options.concurrency} clients, `
        + `${options.warmupSeconds}s warm-up + ${options.durationSeconds}s each, HTTP client: ${options.httpClient}`);
    try {
        for (let round = 1; round <= options.repeats; round++) {
            if (options.repeats > 1) log(`round ${round}/${options.repeats}`);
            // Rounds interleave scenarios, so slow drift on the machine spreads over all of them.
            for (const group of groupByTransport(scenarios.filter(s => !skips.has(s.id)))) {
                const results = await runTransportGroup(group, settings, round, log);
                for (const [id, measurement] of results) runs.get(id)!.push(measurement);
            }
        }
    } finally {
        if (scenarios.some(s => s.store.startsWith('redis') && !skips.has(s.id))) {
            const deleted = await deleteKeysWithPrefix(options.redisUrl, settings.redisPrefix).catch(e => `failed: ${e}`);
            log(`Redis cleanup: ${deleted} keys under ${settings.redisPrefix} deleted`);
        }
    }

    const outcomes: ScenarioOutcome[] = scenarios.map(scenario => ({ scenario, runs: runs.get(scenario.id)!, skipped: skips.get(scenario.id) }));
    const rows = summarize(outcomes);
    const machine = { cores: os.availableParallelism(), cpu: os.cpus()[0]?.model ?? 'unknown', node: process.version, platform: `${os.platform()} ${os.release()}` };
    const header = `${machine.cores} cores (${machine.cpu}), node ${machine.node}; ${options.concurrency} clients, `
        + `${options.warmupSeconds}s warm-up + ${options.durationSeconds}s measured, ${options.repeats} round(s), HTTP client: ${options.httpClient}`
        + `${options.profileDir ? '; PROFILING (the profiler\'s own cost is in the CPU figures)' : ''}\n`
        + 'srv us/call: server CPU (user + system) per call, median round; sys us: its kernel part;\n'
        + `+us/call: over the baseline named below, each scenario alternating with its baseline in ${options.sliceSeconds}s slices, median over the rounds (range over the rounds)`;
    const comparison = formatExpressComparison(rows);
    // Sealed rows: iron-session's seal and unseal measured in the same run, for the closing note.
    const sealCost: SealCost | undefined = scenarios.some(s => s.store === 'sealed') ? await measureSealCost() : undefined;
    process.stdout.write(`\n${header}\n\n${formatTable(rows)}\n\n${formatNotes(rows, scenarios)}\n${comparison ? `\n${comparison}\n` : ''}${sealCost ? `\n${formatSealCost(sealCost)}\n` : ''}`);

    await mkdir(path.dirname(options.out), { recursive: true });
    const json = { startedAt: startedAt.toISOString(), machine, settings: { ...options, redisPrefix: settings.redisPrefix }, rows, runs: Object.fromEntries(runs), ...(sealCost && { sealCost }) };
    await writeFile(options.out, `${JSON.stringify(json, null, 2)}\n`);
    log(`\nwritten to ${path.relative(process.cwd(), options.out)}`);
}

/** Redis scenarios that cannot run, with the reason the table shows in their place. */
async function skipReasons(scenarios: readonly Scenario[], redisUrl: string): Promise<Map<string, string>> {
    const redisScenarios = scenarios.filter(s => s.store.startsWith('redis'));
    const reason = redisScenarios.length > 0 ? await redisUnavailableReason(redisUrl) : undefined;
    return new Map(reason ? redisScenarios.map(s => [s.id, reason]) : []);
}

main().catch(e => {
    log(`benchmark failed: ${(e as Error)?.stack ?? e}`);
    process.exitCode = 1;
});
