/**
 * Loaded by mocha before any test file (`.mocharc.json` `require`), so `npm test` runs on a fresh
 * machine as the README says: it checks the system binaries the suites use, and starts a Redis of
 * its own on a free loopback port when `REDIS_URL` is unset (exported for the suites, stopped when
 * mocha exits). Synchronous on purpose: test files read `REDIS_URL` when they load.
 */
import { ChildProcess, execFileSync, spawn, spawnSync } from 'child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { delimiter, join } from 'path';
import { stopSharedCluster } from '../cluster/localCluster';

const INSTALL = 'apt-get install -y redis-server nginx chromium';
const READY_WAIT_MS = 10_000;

// nginx lives in /usr/sbin, which a user's PATH often lacks.
process.env.PATH = [process.env.PATH, '/usr/sbin', '/usr/local/sbin'].filter(Boolean).join(delimiter);

function executable(path: string): boolean {
    try {
        accessSync(path, constants.X_OK);
        return true;
    } catch {
        return false;
    }
}

function onPath(name: string): boolean {
    return (process.env.PATH ?? '').split(delimiter).some(dir => dir !== '' && executable(join(dir, name)));
}

function sleep(ms: number): void {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** A port nobody listens on now, from the OS (port 0), in a child: this file must stay synchronous. */
function freePortSync(): number {
    const probe = "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})";
    return Number(execFileSync(process.execPath, ['-e', probe], { encoding: 'utf8' }).trim());
}

function redisAnswers(port: number): boolean {
    return spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' }).stdout?.trim() === 'PONG';
}

function startRedis(): void {
    const port = freePortSync();
    const dir = mkdtempSync(join(tmpdir(), 'tsrpc-session-test-redis-'));
    const redis: ChildProcess = spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
    const stop = () => {
        redis.kill('SIGKILL');
        rmSync(dir, { recursive: true, force: true });
    };
    // Not holding mocha open: it stops Redis as it exits.
    redis.unref();
    process.once('exit', stop);
    const since = Date.now();
    while (!redisAnswers(port)) {
        if (redis.exitCode !== null || Date.now() - since > READY_WAIT_MS) {
            stop();
            throw new Error(`redis-server did not start on 127.0.0.1:${port} (exit code ${redis.exitCode})`);
        }
        sleep(50);
    }
    process.env.REDIS_URL = `redis://127.0.0.1:${port}`;
}

const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const missing = [
    ...onPath('redis-server') && onPath('redis-cli') ? [] : ['redis-server'],
    ...onPath('nginx') ? [] : ['nginx'],
    ...executable(chromium) ? [] : [`chromium (looked at ${chromium}; CHROMIUM_PATH names another)`],
];
if (missing.length > 0) {
    console.error(`\nThe tests need ${missing.join(', ')}. Install them with:\n\n    ${INSTALL}\n`);
    process.exit(1);
}
if (!process.env.REDIS_URL) startRedis();

/** Mocha's root hooks: the Redis Cluster the store factories start on first use stops after the last suite. */
export const mochaHooks = {
    async afterAll(): Promise<void> {
        await stopSharedCluster();
    },
};
