import assert from 'assert';
import { execFile } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { promisify } from 'util';

const REPO = resolve(__dirname, '../..');
const run = promisify(execFile);

/** Runs a package linter over the packed package; a non-zero exit fails with the linter's report. */
async function lint(command: string, args: string[]): Promise<string> {
    try {
        const { stdout, stderr } = await run('npx', [command, ...args], { cwd: REPO, maxBuffer: 16 * 1024 * 1024 });
        return stdout + stderr;
    } catch (e) {
        const { stdout = '', stderr = '' } = e as { stdout?: string; stderr?: string };
        assert.fail(`${command} found problems:\n${stdout}\n${stderr}`);
    }
}

describe('the package as linters see it', function () {
    // Each linter packs the package, which builds it first.
    this.timeout(180_000);

    it('publint --strict: exports, files and formats agree', async () => {
        assert.match(await lint('publint', ['--strict']), /All good!/);
    });

    it('attw --pack: types resolve for node10, node16 (CJS and ESM) and bundler on every entry point', async () => {
        const report = await lint('attw', ['--pack', '.', '--format', 'table-flipped']);
        assert.match(report, /No problems found/);
        for (const entry of ['server', 'stores', 'client', 'client/file-storage', 'protocols', 'stores/redis', 'stores/mongo', 'testing']) {
            assert.ok(report.includes(`tsrpc-session/${entry}`), `attw checked tsrpc-session/${entry}`);
        }
    });
});

describe('npm run lint: no import cycles in the library', function () {
    this.timeout(120_000);
    let fixture: string | undefined;

    afterEach(() => {
        if (fixture) rmSync(fixture, { recursive: true, force: true });
        fixture = undefined;
    });

    it('passes on backend/src/session, frontend/src/session and shared', async () => {
        const { stdout } = await run('npm', ['run', 'lint'], { cwd: REPO, maxBuffer: 16 * 1024 * 1024 });
        assert.match(stdout, /no dependency violations found/);
    });

    it('fails, naming the cycle, on two modules that import each other', async () => {
        fixture = mkdtempSync(join(tmpdir(), 'tsrpc-session-cycle-'));
        writeFileSync(join(fixture, 'a.ts'), "import { b } from './b';\nexport const a = (): unknown => b;\n");
        writeFileSync(join(fixture, 'b.ts'), "import { a } from './a';\nexport const b = (): unknown => a;\n");
        const failed = await run('npx', ['depcruise', fixture, '--config', '.dependency-cruiser.js'], { cwd: REPO }).then(() => undefined, (e: unknown) => e);
        assert.ok(failed, 'depcruise exits non-zero on a cycle');
        const { stdout = '' } = failed as { stdout?: string };
        assert.match(stdout, /no-circular: .*a\.ts/);
        assert.match(stdout, /b\.ts/);
    });

});
