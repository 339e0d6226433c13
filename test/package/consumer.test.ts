import assert from 'assert';
import { ChildProcess, ChildProcessByStdio, execFile, spawn } from 'child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'fs/promises';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { Readable } from 'stream';
import { promisify } from 'util';
import { freePort } from '../helpers/freePort';
import { readmeFiles } from './readmeBlocks';

const REPO = resolve(__dirname, '../..');
const FIXTURE = join(__dirname, 'consumerApp');
const run = promisify(execFile);

/** What the app installs from the registry: the versions this repo is locked to. */
function lockedVersion(name: string): string {
    return (require(join(REPO, 'node_modules', name, 'package.json')) as { version: string }).version;
}

async function sh(cwd: string, command: string, args: string[]): Promise<string> {
    try {
        const { stdout } = await run(command, args, { cwd, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, npm_config_yes: 'true' } });
        return stdout;
    } catch (e) {
        const { stdout = '', stderr = '' } = e as { stdout?: string; stderr?: string };
        throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${stdout}\n${stderr}`);
    }
}

/** The strictest settings a user may have: the library must compile under all of them. */
const STRICT = {
    strict: true,
    exactOptionalPropertyTypes: true,
    noUncheckedIndexedAccess: true,
    skipLibCheck: false,
    esModuleInterop: true,
    target: 'ES2022',
    lib: ['ES2022', 'DOM'],
    types: ['node'],
};

/**
 * TSRPC's packages declare `exports` without `types`, so TypeScript finds no types for them when it
 * resolves as ESM (bundler, or node16 from an ES module); an ESM app points it at them by hand.
 */
const TSRPC_TYPES = {
    paths: Object.fromEntries(['tsrpc', 'tsrpc-proto', 'tsrpc-base-client', 'tsrpc-browser'].map(name => [name, [`./node_modules/${name}/index.d.ts`]])),
};

const RESOLUTIONS = {
    node10: { module: 'commonjs', moduleResolution: 'node10', noEmit: true },
    node16: { module: 'node16', moduleResolution: 'node16', outDir: 'out' },
    bundler: { module: 'preserve', moduleResolution: 'bundler', noEmit: true, ...TSRPC_TYPES },
};

/**
 * Runs tsc and returns the errors it found in other packages' declarations (TSRPC's own, which
 * skipLibCheck would hide); fails on any error in the app or in tsrpc-session.
 */
async function typeCheck(dir: string, project: string): Promise<string[]> {
    const output = await sh(dir, 'npx', ['tsc', '-p', project]).catch((e: Error) => e.message);
    const errors = output.split('\n').filter(line => /error TS\d+/.test(line));
    const ours = errors.filter(line => !/^(\.\.\/)*node_modules\//.test(line) || /node_modules\/tsrpc-session\//.test(line));
    assert.deepStrictEqual(ours, [], `errors in the app or in tsrpc-session:\n${output}`);
    return errors;
}

async function writeTsconfig(dir: string, name: string, options: object): Promise<void> {
    await writeFile(join(dir, name), JSON.stringify({ compilerOptions: { ...STRICT, ...options }, include: ['src'] }, null, 2));
}

/**
 * Resolves once `server` prints that it is listening, with what reads its output so far (kept
 * collecting); fails with that output if it exits first.
 */
function untilListening(server: ChildProcessByStdio<null, Readable, Readable>, what: string): Promise<() => string> {
    let output = '';
    return new Promise((ready, fail) => {
        server.stdout.on('data', (chunk: Buffer) => { output += chunk; if (output.includes('listening')) ready(() => output); });
        server.stderr.on('data', (chunk: Buffer) => { output += chunk; });
        server.once('exit', code => fail(new Error(`${what} exited (${code}):\n${output}`)));
    });
}

/** Starts the app's compiled server, runs its compiled client against it, and stops the server. */
async function serverAndClient(dir: string, extension: string, started: Set<ChildProcess>): Promise<unknown> {
    const [httpPort, wsPort] = [await freePort(), await freePort()];
    const server = spawn(process.execPath, [join(dir, 'out', `server.${extension}`), String(httpPort), String(wsPort)], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    started.add(server);
    try {
        await untilListening(server, 'the app\'s server');
        const stdout = await sh(dir, process.execPath, [join(dir, 'out', `client.${extension}`), `http://127.0.0.1:${httpPort}`, `ws://127.0.0.1:${wsPort}`]);
        return JSON.parse(stdout);
    } finally {
        server.kill('SIGTERM');
        started.delete(server);
    }
}

/** Runs the README's quick-start server, then its client twice: the second visit must find the session in the file. */
async function readmeServerAndClient(dir: string, started: Set<ChildProcess>): Promise<string[]> {
    const port = await freePort();
    const server = spawn(process.execPath, ['out/server.js'], { cwd: dir, env: { ...process.env, PORT: String(port), SESSION_SECRETS: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    started.add(server);
    try {
        const output = await untilListening(server, 'the README\'s server');
        const env = { ...process.env, SERVER: `http://127.0.0.1:${port}` };
        const visits: string[] = [];
        for (let i = 0; i < 2; i++) {
            const { stdout } = await run(process.execPath, ['out/client.js'], { cwd: dir, env });
            visits.push(stdout.trim());
        }
        assert.match(output(), /SESSION_SECRETS is unset: a random secret for now/);
        return visits;
    } finally {
        server.kill('SIGTERM');
        started.delete(server);
    }
}

const EXPECTED_CALLS = { login: { userId: 'alice' }, visits: [1, 2], me: { userId: 'alice', visits: 2 } };

describe('the packed package in a fresh TSRPC app', function () {
    // npm pack, an install from the registry and several compilations.
    this.timeout(600_000);
    let root: string;
    let app: string;
    const started = new Set<ChildProcess>();

    before(async () => {
        root = await mkdtemp(join(tmpdir(), 'tsrpc-session-consumer-'));
        app = join(root, 'app');
        // prepack builds first and prints its log before npm's JSON.
        const packOutput = await sh(REPO, 'npm', ['pack', '--json', '--pack-destination', root]);
        const packed = JSON.parse(packOutput.slice(packOutput.search(/^\[/m))) as { filename: string; files: { path: string }[] }[];
        const tarball = join(root, packed[0]!.filename);
        await cp(FIXTURE, app, { recursive: true });
        await writeFile(join(app, 'package.json'), JSON.stringify({ name: 'consumer-app', version: '1.0.0', private: true }));
        await sh(app, 'npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball,
            ...['tsrpc', 'tsrpc-browser', 'tsrpc-cli', 'typescript', 'esbuild', '@types/node'].map(name => `${name}@${lockedVersion(name)}`)]);
        await writeFile(join(root, 'packed-files.json'), JSON.stringify(packed[0]!.files.map(f => f.path)));
    });

    after(async () => {
        for (const child of started) child.kill('SIGKILL');
        await rm(root, { recursive: true, force: true });
    });

    it('holds only dist/, README, LICENSE, CHANGELOG and package.json', async () => {
        const files = JSON.parse(await readFile(join(root, 'packed-files.json'), 'utf8')) as string[];
        const outside = files.filter(f => !f.startsWith('dist/') && !['README.md', 'LICENSE', 'CHANGELOG.md', 'package.json'].includes(f));
        assert.deepStrictEqual(outside, [], files.join(', '));
        for (const required of ['LICENSE', 'CHANGELOG.md', 'README.md', 'dist/server.js', 'dist/server.mjs', 'dist/server.d.ts', 'dist/server.d.mts', 'dist/stores.js', 'dist/stores.mjs', 'dist/stores.d.ts', 'dist/stores.d.mts']) {
            assert.ok(files.includes(required), `${required} is in the tarball`);
        }
    });

    it('generates the app protocols with tsrpc-cli, with plain schema names', async () => {
        await sh(app, 'npx', ['tsrpc-session', 'protocols', 'src/shared/protocols']);
        await sh(app, 'npx', ['tsrpc-cli', 'proto', '--input', 'src/shared/protocols', '--output', 'src/shared/protocols/serviceProto.ts']);
        const proto = await readFile(join(app, 'src/shared/protocols/serviceProto.ts'), 'utf8');
        assert.match(proto, /"base\/BaseRequest"/);
        assert.match(proto, /"__cookie"/);
        assert.doesNotMatch(proto, /node_modules|\.\.\//);
        assert.strictEqual((await sh(app, 'npx', ['tsrpc-session', 'protocols', 'src/shared/protocols', '--check'])).trim().endsWith('is up to date'), true);
    });

    const BASES = { "TSRPC's stock base.ts": 'stockBase.ts', 'a base.ts with fields of its own': 'ownFieldsBase.ts' };
    for (const [what, fixture] of Object.entries(BASES)) {
        it(`builds and runs the README's quick start as written, from ${what}`, async () => {
            const dir = join(root, `readme-${fixture.replace('.ts', '')}`);
            const protocols = join(dir, 'src/shared/protocols');
            await mkdir(protocols, { recursive: true });
            await symlink(join(app, 'node_modules'), join(dir, 'node_modules'), 'dir');
            await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'readme-app', private: true }));
            const base = await readFile(join(REPO, 'test/cli/fixtures', fixture), 'utf8');
            await writeFile(join(protocols, 'base.ts'), base);

            const init = await sh(dir, 'npx', ['tsrpc-session', 'init']);
            assert.match(init, /added to src\/shared\/protocols\/base\.ts: .*BaseRequest\.__cookie/);
            const merged = await readFile(join(protocols, 'base.ts'), 'utf8');
            for (const line of base.split('\n')) assert.ok(merged.includes(line), `kept: ${line}`);

            const files = readmeFiles(await readFile(join(REPO, 'README.md'), 'utf8'));
            assert.deepStrictEqual([...files.keys()].sort(), ['src/client.ts', 'src/server.ts', 'src/session.d.ts', 'src/shared/protocols/PtlVisit.ts', 'tsconfig.json']);
            for (const [path, text] of files) await writeFile(join(dir, path), text);

            await sh(dir, 'npx', ['tsrpc-cli', 'proto', '--input', 'src/shared/protocols', '--output', 'src/shared/protocols/serviceProto.ts']);
            await sh(dir, 'npx', ['tsrpc-session', 'protocols', 'src/shared/protocols', '--check']);
            await sh(dir, 'npx', ['tsc']);
            assert.deepStrictEqual(await readmeServerAndClient(dir, started), ['visits: 1', 'visits: 2']);
        });
    }

    for (const [name, options] of Object.entries(RESOLUTIONS)) {
        it(`type-checks under moduleResolution ${name}, strict, exactOptionalPropertyTypes, noUncheckedIndexedAccess, no skipLibCheck`, async () => {
            await writeTsconfig(app, `tsconfig.${name}.json`, options);
            const foreign = await typeCheck(app, `tsconfig.${name}.json`);
            if (foreign.length > 0) console.log(`      (TSRPC's own declarations under ${name}: ${foreign.length} errors, e.g. ${foreign[0]})`);
        });
    }

    it('runs a server and a client as CommonJS under plain node: login, a session write and a read over HTTP and WS', async () => {
        const result = await serverAndClient(app, 'js', started);
        assert.deepStrictEqual(result, { http: EXPECTED_CALLS, ws: EXPECTED_CALLS });
    });

    it('runs the same server and client as ES modules under plain node', async () => {
        const esm = join(app, 'esm');
        await cp(join(app, 'src'), join(esm, 'src'), { recursive: true });
        await cp(join(esm, 'tsrpcRuntime.ts'), join(esm, 'src', 'tsrpcRuntime.ts'));
        await writeFile(join(esm, 'package.json'), JSON.stringify({ type: 'module' }));
        // tsrpc-cli writes extensionless relative imports, so an ESM TSRPC app compiles with bundler resolution.
        await writeTsconfig(esm, 'tsconfig.json', { module: 'es2022', moduleResolution: 'bundler', outDir: 'out', baseUrl: '..', ...TSRPC_TYPES });
        await typeCheck(esm, 'tsconfig.json');
        const result = await serverAndClient(esm, 'js', started);
        assert.deepStrictEqual(result, { http: EXPECTED_CALLS, ws: EXPECTED_CALLS });
    });

    it('loads ./server and ./stores without redis or mongodb installed, and says what ./stores/redis needs', async () => {
        const probe = `
            require('tsrpc-session/server');
            require('tsrpc-session/stores');
            const loaded = Object.keys(require.cache).filter(f => /node_modules[\\\\/](redis|@redis|mongodb)[\\\\/]/.test(f));
            let redisStore;
            try { require('tsrpc-session/stores/redis'); redisStore = 'loaded'; } catch (e) { redisStore = e.code + ' ' + e.message.split('\\n')[0]; }
            console.log(JSON.stringify({ loaded, redisStore }));`;
        const { loaded, redisStore } = JSON.parse(await sh(app, process.execPath, ['-e', probe])) as { loaded: string[]; redisStore: string };
        assert.deepStrictEqual(loaded, []);
        assert.match(redisStore, /^MODULE_NOT_FOUND Cannot find module 'redis'/);
    });

    it('offers app authors and store authors one entry each (issue 21), as CommonJS and ES module alike', async () => {
        const probe = `
            const names = m => Object.keys(m).filter(k => k !== 'default' && k !== '__esModule').sort();
            Promise.all(['server', 'stores'].map(e => import('tsrpc-session/' + e))).then(([server, stores]) => console.log(JSON.stringify({
                cjs: { server: names(require('tsrpc-session/server')), stores: names(require('tsrpc-session/stores')) },
                esm: { server: names(server), stores: names(stores) },
                codes: require('tsrpc-session/server').SessionErrorCode,
            })));`;
        const { cjs, esm, codes } = JSON.parse(await sh(app, process.execPath, ['-e', probe])) as Record<string, Record<string, string[]>>;
        const expected = {
            server: ['MemoryStore', 'SessionErrorCode', 'allowWebSocketOrigins', 'enableSession', 'limitRequestSize', 'limitWebSockets'],
            stores: ['KoaStoreAdapter', 'RENEWAL_CHAIN_LIMIT', 'SESSION_RECORD_VERSION', 'StoreWrapper', 'SummerStorageAdapter', 'describeStoreContract'],
        };
        assert.deepStrictEqual({ cjs, esm }, { cjs: expected, esm: expected });
        assert.deepStrictEqual(codes, {
            StoreUnavailable: 'SESSION_STORE_UNAVAILABLE', UpdateConflict: 'SESSION_UPDATE_CONFLICT', RequestTooLarge: 'REQUEST_TOO_LARGE',
            CrossSiteRequest: 'CROSS_SITE_REQUEST', TicketInvalid: 'SESSION_TICKET_INVALID',
            SealedUnsupported: 'SESSION_SEALED_UNSUPPORTED', SealedTooLarge: 'SESSION_SEALED_TOO_LARGE',
        });
    });

    it('bundles a browser client with esbuild', async () => {
        await sh(app, 'npx', ['esbuild', 'src/browser.ts', '--bundle', '--platform=browser', '--format=esm', '--outfile=out/browser.js', '--log-level=warning']);
        const bundle = await readFile(join(app, 'out/browser.js'), 'utf8');
        assert.match(bundle, /__cookie/);
        assert.doesNotMatch(bundle, /require\(["'](fs|crypto|path)["']\)/);
    });

    it('refers to nothing in this repository', async () => {
        const files = (await readdir(app, { recursive: true })).filter(f => !f.startsWith('node_modules') && !f.includes('/node_modules/') && f !== 'package-lock.json');
        for (const file of files) {
            const text = await readFile(join(app, file), 'utf8').catch(() => '');
            assert.ok(!text.includes(REPO), `${file} names ${REPO}`);
        }
    });
});
