import type * as TS from 'typescript';

/**
 * The app's own TypeScript (every TSRPC app has it: tsrpc-cli depends on it), loaded only by the
 * commands that parse code, so `tsrpc-session secret` works without it.
 */
export async function loadTypeScript(): Promise<typeof TS> {
    try {
        return require('typescript') as typeof TS;
    } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw e;
        throw new Error('this command reads your base.ts with the TypeScript compiler: npm install -D typescript');
    }
}
