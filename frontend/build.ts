import { build } from 'esbuild';
import { copyFile, mkdir } from 'fs/promises';
import { join } from 'path';

const SOURCE = join(__dirname, 'src');
export const DIST = join(__dirname, 'dist');
/** Served as they are, next to the bundle. */
const STATIC_FILES = ['index.html', 'style.css'];

/**
 * Bundles the example page (main.ts and everything it imports) and copies its static files into
 * `outdir`. Source maps (which show the page's source) only for development.
 */
export async function buildWebPage(outdir = DIST, { development = process.env.NODE_ENV === 'development' } = {}): Promise<string> {
    await mkdir(outdir, { recursive: true });
    await build({
        entryPoints: [join(SOURCE, 'main.ts')],
        outfile: join(outdir, 'main.js'),
        bundle: true,
        platform: 'browser',
        format: 'iife',
        target: 'es2020',
        minify: true,
        sourcemap: development,
        logLevel: 'warning',
    });
    await Promise.all(STATIC_FILES.map(file => copyFile(join(SOURCE, file), join(outdir, file))));
    return outdir;
}

if (require.main === module) {
    buildWebPage().then(
        outdir => console.log(`Example page built in ${outdir}`),
        e => { console.error(e); process.exit(1); },
    );
}
