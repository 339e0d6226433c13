import assert from 'assert';
import { ChildProcess, spawn } from 'child_process';
import { once } from 'events';
import path from 'path';

/**
 * The client RedisStore creates from `url` comes from the app's installed `redis`: with each older
 * major installed, the Redis store contract and the outage suite (Redis killed and restarted) pass.
 * Each runs in a child process whose library resolves `redis` to that major (test/support/redisMajor.js).
 */
const ROOT = path.join(__dirname, '..', '..');
const SUITES = ['test/stores/redis.test.ts', 'test/stores/storeOutage.test.ts'];

for (const [major, alias] of [['4', 'redis4'], ['5', 'redis5']]) {
    describe(`RedisStore's own client with redis ${major} installed`, function () {
        this.timeout(180_000);
        let child: ChildProcess | undefined;
        afterEach(() => { child?.kill('SIGKILL'); });

        it('passes the store contract and the outage suite', async () => {
            child = spawn(process.execPath, ['-r', './test/support/redisMajor.js', require.resolve('mocha/bin/mocha.js'), '--reporter', 'dot', ...SUITES], {
                cwd: ROOT,
                env: { ...process.env, TSRPC_SESSION_REDIS_PACKAGE: alias },
                stdio: ['ignore', 'pipe', 'pipe'],
            });
            let output = '';
            child.stdout!.on('data', chunk => { output += chunk; });
            child.stderr!.on('data', chunk => { output += chunk; });
            const [code] = await once(child, 'exit');
            assert.match(output, new RegExp(`own client on ${alias} ${major}\\.`), output);
            assert.strictEqual(code, 0, output);
            assert.match(output, /[1-9]\d* passing/, output);
        });
    });
}
