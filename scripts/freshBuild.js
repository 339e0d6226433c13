// Builds the library (dist/) and the example page (frontend/dist/) only when their sources changed,
// into a fresh folder swapped in whole: a running `npm start` or test never sees a half-built or
// deleted output, and two starts in one checkout build once (a lock folder) instead of racing.
// Plain JavaScript so that a start with nothing to build pays for no compiler.
'use strict';
const { createHash } = require('crypto');
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const ROOT = path.join(__dirname, '..');
const STAMP = '.inputs';
const LOCK_WAIT_MS = 5 * 60_000;

const LIBRARY = {
    name: 'library',
    out: path.join(ROOT, 'dist'),
    inputs: ['backend/src/session', 'backend/src/cli', 'frontend/src/session', 'shared', 'tsup.config.ts', 'tsconfig.build.json', 'package.json', 'package-lock.json'],
    build(outDir) {
        execFileSync(process.execPath, [require.resolve('tsup/dist/cli-default.js')], {
            cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, TSRPC_SESSION_OUT_DIR: outDir },
        });
    },
};

const PAGE = {
    name: 'example page',
    out: path.join(ROOT, 'frontend/dist'),
    // The page bundles the client from dist/, so a new library build is a new page input.
    inputs: ['frontend/src', 'frontend/build.ts', 'shared', 'dist/.inputs'],
    build(outDir) {
        execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e',
            `require('./frontend/build.ts').buildWebPage(${JSON.stringify(outDir)}).catch(e => { console.error(e); process.exit(1); })`],
        { cwd: ROOT, stdio: 'inherit' });
    },
};

const EXAMPLE = {
    name: 'example server',
    out: path.join(ROOT, 'backend/dist'),
    // The example imports tsrpc-session by its package name, left to Node (dist/), as an app would.
    inputs: ['backend/src', 'shared'],
    build(outDir) {
        require('esbuild').buildSync({
            entryPoints: [path.join(ROOT, 'backend/src/index.ts')],
            // Two folders below the root, as backend/src/index.ts is: its __dirname paths still hold.
            outfile: path.join(outDir, 'index.js'),
            bundle: true,
            packages: 'external',
            platform: 'node',
            format: 'cjs',
            target: 'node20',
            sourcemap: true,
            logLevel: 'warning',
        });
    },
};

/** A digest of every input file's path, size and modification time: cheap, and changes with any edit. */
function fingerprint(inputs) {
    const hash = createHash('sha256');
    const visit = relative => {
        const full = path.join(ROOT, relative);
        let stat;
        try { stat = fs.statSync(full); } catch { hash.update(`${relative} missing\n`); return; }
        if (stat.isDirectory()) {
            for (const entry of fs.readdirSync(full).sort()) {
                if (entry !== 'node_modules' && entry !== 'dist') visit(path.join(relative, entry));
            }
        } else {
            hash.update(`${relative} ${stat.size} ${stat.mtimeMs}\n`);
        }
    };
    inputs.forEach(visit);
    return hash.digest('hex');
}

function readStamp(out) {
    try { return fs.readFileSync(path.join(out, STAMP), 'utf8'); } catch { return undefined; }
}

function sleep(ms) {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Holds `<out>.lock` while `fn` runs; another build waits for it (or takes over a lock left by a crash). */
function withLock(out, fn) {
    const lock = `${out}.lock`;
    const since = Date.now();
    for (;;) {
        try { fs.mkdirSync(lock); break; } catch (e) {
            if (e.code !== 'EEXIST') throw e;
            const age = Date.now() - fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs;
            if (age > LOCK_WAIT_MS || Date.now() - since > LOCK_WAIT_MS) { fs.rmSync(lock, { recursive: true, force: true }); continue; }
            sleep(100);
        }
    }
    try { return fn(); } finally { fs.rmSync(lock, { recursive: true, force: true }); }
}

/** Builds `target` unless its stamp matches its inputs; `force` builds anyway. Says what it did. */
function ensureBuilt(target, { force = false } = {}) {
    if (!force && readStamp(target.out) === fingerprint(target.inputs)) return false;
    return withLock(target.out, () => {
        const inputs = fingerprint(target.inputs);
        if (!force && readStamp(target.out) === inputs) return false; // built by the start we waited for
        const next = `${target.out}.next-${process.pid}`;
        const old = `${target.out}.old-${process.pid}`;
        fs.rmSync(next, { recursive: true, force: true });
        const started = Date.now();
        target.build(next);
        fs.writeFileSync(path.join(next, STAMP), inputs);
        // Two renames: a reader finds either the old or the new output, complete.
        if (fs.existsSync(target.out)) fs.renameSync(target.out, old);
        fs.renameSync(next, target.out);
        fs.rmSync(old, { recursive: true, force: true });
        console.error(`built the ${target.name} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
        return true;
    });
}

module.exports = { ensureBuilt, LIBRARY, PAGE, EXAMPLE };

if (require.main === module) {
    const args = process.argv.slice(2);
    const force = args.includes('--force');
    try {
        if (args.includes('library') || args.includes('all')) ensureBuilt(LIBRARY, { force });
        if (args.includes('page') || args.includes('all')) ensureBuilt(PAGE, { force });
        if (args.includes('example') || args.includes('all')) ensureBuilt(EXAMPLE, { force });
    } catch (e) {
        console.error(e instanceof Error ? e.message : e);
        process.exit(1);
    }
}
