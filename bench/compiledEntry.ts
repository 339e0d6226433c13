import { buildSync } from 'esbuild';
import path from 'path';

/**
 * A benchmark process's entry and what it imports, bundled into one CommonJS file under
 * `bench/.build/`, the packages left to `require` (the plugin from its dist): the measured process
 * then runs compiled JavaScript, as an app does in production. Under ts-node the TypeScript
 * compiler's heap made every garbage collection dearer: a bare in-process call cost 50-60 % more.
 */
export function compiledEntry(entry: string): string {
    const outfile = path.join(__dirname, '.build', `${path.basename(entry, path.extname(entry))}.js`);
    buildSync({ entryPoints: [entry], outfile, bundle: true, platform: 'node', target: 'node20', format: 'cjs', packages: 'external', logLevel: 'error' });
    return outfile;
}
