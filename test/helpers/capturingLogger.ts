import { inspect } from 'util';
import { Logger } from 'tsrpc';

/** A logger that keeps every line as TSRPC's console logger would print it, to search logs in tests. */
export class CapturingLogger implements Logger {
    readonly lines: string[] = [];

    debug = (...args: any[]) => this.#keep(args);
    log = (...args: any[]) => this.#keep(args);
    warn = (...args: any[]) => this.#keep(args);
    error = (...args: any[]) => this.#keep(args);

    get text(): string {
        return this.lines.join('\n');
    }

    #keep(args: unknown[]): void {
        this.lines.push(args.map(arg => typeof arg === 'string' ? arg : inspect(arg, { depth: 10 })).join(' '));
    }
}
