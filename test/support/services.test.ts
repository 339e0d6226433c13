import assert from 'assert';
import { execFile, spawnSync } from 'child_process';
import { resolve } from 'path';

const REPO = resolve(__dirname, '../..');
const PROBE = "const { spawnSync } = require('child_process'); const port = new URL(process.env.REDIS_URL).port;"
    + "console.log(JSON.stringify({ url: process.env.REDIS_URL, ping: spawnSync('redis-cli', ['-p', port, 'ping'], { encoding: 'utf8' }).stdout.trim() }));";

/** Node with what mocha loads before the suites: the services hook. */
function withServices(env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise(done => {
        execFile(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', './test/support/services.ts', '-e', PROBE], { cwd: REPO, env }, (error, stdout, stderr) => {
            done({ code: error ? Number(error.code) : 0, stdout, stderr });
        });
    });
}

describe('npm test starts the services it needs', () => {
    it('starts a Redis of its own on a free port when REDIS_URL is unset, and stops it on exit', async () => {
        const env = { ...process.env };
        delete env.REDIS_URL;
        const run = await withServices(env);
        assert.strictEqual(run.code, 0, run.stderr);
        const { url, ping } = JSON.parse(run.stdout) as { url: string; ping: string };
        assert.match(url, /^redis:\/\/127\.0\.0\.1:\d+$/);
        assert.strictEqual(ping, 'PONG');
        const after = spawnSync('redis-cli', ['-p', new URL(url).port, 'ping'], { encoding: 'utf8' });
        assert.notStrictEqual(after.stdout.trim(), 'PONG', 'stopped when the run ended');
    });

    it('uses the REDIS_URL it is given', async () => {
        const run = await withServices({ ...process.env, REDIS_URL: 'redis://127.0.0.1:1' });
        assert.strictEqual(JSON.parse(run.stdout).url, 'redis://127.0.0.1:1');
    });

    it('fails at once with the apt-get line when a binary is missing', async () => {
        const run = await withServices({ ...process.env, CHROMIUM_PATH: '/nonexistent/chromium' });
        assert.strictEqual(run.code, 1);
        assert.match(run.stderr, /The tests need chromium \(looked at \/nonexistent\/chromium/);
        assert.match(run.stderr, /apt-get install -y redis-server nginx chromium/);
    });
});
