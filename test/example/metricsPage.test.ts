import assert from 'assert';
import { ChildProcess, spawn } from 'child_process';
import { once } from 'events';
import { join } from 'path';
import { freePort } from '../helpers/freePort';
import { TEST_SECRETS } from '../helpers/sessionServer';

const ROOT = join(__dirname, '../..');

/** The example as an operator runs it, in a process of its own, with its output kept. */
async function startExampleProcess(env: Record<string, string>): Promise<{ child: ChildProcess; output: () => string; origin: string }> {
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'backend/src/index.ts'], {
        cwd: ROOT,
        env: { ...process.env, WEB_PORT: '0', HTTP_PORT: '0', WS_PORT: '0', WEB_ROOT: ROOT, SESSION_SECRETS: TEST_SECRETS.join(','), SESSION_STORE: 'memory', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
    });
    let text = '';
    child.stdout!.on('data', chunk => { text += chunk; });
    child.stderr!.on('data', chunk => { text += chunk; });
    const origin = await new Promise<string>((resolve, reject) => {
        const look = () => {
            const found = /Example page: (http:\/\/\S+)/.exec(text);
            if (found) resolve(found[1]!);
        };
        child.stdout!.on('data', look);
        child.once('exit', code => reject(new Error(`the example exited with ${code}: ${text}`)));
    });
    return { child, output: () => text, origin };
}

async function callJson(origin: string, api: string, body: object, headers: Record<string, string> = {}): Promise<any> {
    const response = await fetch(`${origin}/api/${api}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    return response.json();
}

/** The value of the sample `name{...labels}` whose labels include `labels`, summed over the rest. */
function sample(page: string, name: string, labels: Record<string, string> = {}): number {
    let total = 0;
    for (const line of page.split('\n')) {
        if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
        if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) total += Number(line.slice(line.lastIndexOf(' ') + 1));
    }
    return total;
}

describe('the example with METRICS_PORT and OTEL_TRACES=console (issue 25)', function () {
    this.timeout(60_000);
    let example: Awaited<ReturnType<typeof startExampleProcess>> | undefined;
    afterEach(async () => {
        if (example && example.child.exitCode === null) {
            const exited = once(example.child, 'exit');
            example.child.kill('SIGTERM');
            await exited;
        }
        example = undefined;
    });

    it('serves Prometheus text at /metrics with tsrpc_session_ metrics, and prints spans', async () => {
        const metricsPort = await freePort();
        example = await startExampleProcess({ METRICS_PORT: String(metricsPort), OTEL_TRACES: 'console' });
        const login = await callJson(example.origin, 'Login', { username: 'alice', password: 'wonderland' });
        const sid = login.res.__cookie.sid.value as string;
        assert.strictEqual((await callJson(example.origin, 'GetMe', { __cookie: { sid } })).res.user.id, 'u1');
        await callJson(example.origin, 'GetMe', { __cookie: { sid: `${sid}x` } });

        const response = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
        assert.strictEqual(response.status, 200);
        assert.match(response.headers.get('content-type') ?? '', /^text\/plain/);
        const page = await response.text();
        const ours = page.split('\n').filter(line => line.startsWith('tsrpc_session_'));
        assert.ok(ours.length > 0, page);
        assert.strictEqual(sample(page, 'tsrpc_session_sessions_regenerated_total'), 1, 'the login');
        assert.strictEqual(sample(page, 'tsrpc_session_sessions_rejected_total', { tsrpc_session_reason: 'tampered' }), 1);
        assert.ok(sample(page, 'tsrpc_session_store_operation_duration_count', { tsrpc_session_store_operation: 'load', tsrpc_session_outcome: 'ok' }) >= 1);
        for (const line of page.split('\n').filter(l => l !== '' && !l.startsWith('#') && !l.startsWith('target_info'))) {
            assert.match(line, /^tsrpc_session_/);
        }
        assert.ok(!page.includes(sid.split('.')[0]!), 'no session id on the page');

        assert.match(example.output(), /name: 'tsrpc_session\.store\.load'/, 'spans on the console');
        assert.match(example.output(), /Prometheus metrics: http:\/\/127\.0\.0\.1:\d+\/metrics/);
    });

    it('serves no metrics page without METRICS_PORT', async () => {
        const metricsPort = await freePort();
        example = await startExampleProcess({});
        await callJson(example.origin, 'Login', { username: 'alice', password: 'wonderland' });
        await assert.rejects(fetch(`http://127.0.0.1:${metricsPort}/metrics`), /fetch failed/);
        assert.doesNotMatch(example.output(), /tsrpc_session\.store/);
    });
});
