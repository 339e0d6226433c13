import { ChildProcess, spawn } from 'child_process';
import { once } from 'events';
import { freePort } from '../helpers/freePort';

/** A redis-server child process of the test's own, on a port of its own, keeping nothing on disk. */
export interface RedisChild {
    port: number;
    url: string;
    /** The running server's process id (for its CPU time), if it runs. */
    pid(): number | undefined;
    /** Kills the server at once (SIGKILL), as a crash would. */
    kill(): Promise<void>;
    /** Starts it again on the same port. */
    restart(): Promise<void>;
}

export async function startRedisChild(): Promise<RedisChild> {
    const port = await freePort();
    let child: ChildProcess | undefined;
    const start = async () => {
        const started = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
        child = started;
        let output = '';
        await new Promise<void>((resolve, reject) => {
            started.stdout!.on('data', (chunk: Buffer) => {
                output += chunk;
                if (output.includes('Ready to accept connections')) resolve();
            });
            started.once('exit', code => reject(new Error(`redis-server exited with ${code}: ${output}`)));
            started.once('error', reject);
        });
    };
    const kill = async () => {
        const running = child;
        child = undefined;
        if (!running || running.exitCode !== null || running.signalCode !== null) return;
        const exited = once(running, 'exit');
        running.kill('SIGKILL');
        await exited;
    };
    await start();
    return { port, url: `redis://127.0.0.1:${port}`, pid: () => child?.pid, kill, restart: start };
}
