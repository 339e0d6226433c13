import { ChildProcess, fork } from 'child_process';
import path from 'path';
import { compiledEntry } from './compiledEntry';
import type { ServerSpec } from './scenarios';
import { FromServer, ServerStats } from './server/ipc';

const CHILD_SOURCE = path.join(__dirname, 'server', 'child.ts');
/** The server runs compiled, as an app does in production; built once per benchmark run. */
let childEntry: string | undefined;
const START_TIMEOUT_MS = 30_000;
const REPLY_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000;

/** Every child still running, so an error or Ctrl-C in the parent never leaves one behind. */
const live = new Set<ChildProcess>();
process.on('exit', () => {
    for (const child of live) child.kill('SIGKILL');
});

/** A benchmark server in its own process, so it does not share an event loop (or a core) with the load. */
export class ServerProcess {
    readonly #child: ChildProcess;
    readonly port: number;

    private constructor(child: ChildProcess, port: number) {
        this.#child = child;
        this.port = port;
    }

    static async start(spec: ServerSpec, profileDir?: string): Promise<ServerProcess> {
        childEntry ??= compiledEntry(CHILD_SOURCE);
        const child = fork(childEntry, [JSON.stringify(spec), ...(profileDir ? [profileDir] : [])], {
            execArgv: process.env.BENCH_TRACE_DEOPT ? ['--trace-deopt'] : [],
            stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        });
        live.add(child);
        child.once('exit', () => live.delete(child));
        try {
            const ready = await nextMessage(child, START_TIMEOUT_MS);
            if (ready.type !== 'ready') throw new Error(ready.type === 'failed' ? ready.message : `unexpected ${ready.type}`);
            return new ServerProcess(child, ready.port);
        } catch (e) {
            child.kill('SIGKILL');
            throw e;
        }
    }

    /** Zeroes the server's call and store counters and starts its CPU clock (and its profile, when profiling). */
    async reset(profileName?: string): Promise<void> {
        this.#child.send({ type: 'reset', ...(profileName && { profileName }) });
        await nextMessage(this.#child, REPLY_TIMEOUT_MS);
    }

    async stats(): Promise<ServerStats> {
        this.#child.send({ type: 'stats' });
        const reply = await nextMessage(this.#child, REPLY_TIMEOUT_MS);
        if (reply.type !== 'stats') throw new Error(`expected stats, got ${reply.type}`);
        return reply.stats;
    }

    /** Asks the server to close; kills it if it has not exited within a few seconds. */
    async stop(): Promise<void> {
        const child = this.#child;
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise(resolve => child.once('exit', resolve));
        if (child.connected) child.send({ type: 'stop' });
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
        await exited;
        clearTimeout(timer);
    }
}

function nextMessage(child: ChildProcess, timeoutMs: number): Promise<FromServer> {
    return new Promise((resolve, reject) => {
        const done = (settle: () => void) => {
            clearTimeout(timer);
            child.off('message', onMessage);
            child.off('exit', onExit);
            settle();
        };
        const onMessage = (message: FromServer) => done(() => resolve(message));
        const onExit = (code: number | null) => done(() => reject(new Error(`benchmark server exited (code ${code})`)));
        const timer = setTimeout(() => done(() => reject(new Error('benchmark server did not answer'))), timeoutMs);
        child.on('message', onMessage);
        child.once('exit', onExit);
    });
}
