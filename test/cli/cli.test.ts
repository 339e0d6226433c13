import assert from 'assert';
import { execFile } from 'child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'fs/promises';
import { tmpdir } from 'os';
import { join, resolve } from 'path';

const CLI = resolve(__dirname, '../../dist/cli.js');
const FIXTURES = join(__dirname, 'fixtures');

interface Run { code: number; stdout: string; stderr: string }

function cli(cwd: string, ...args: string[]): Promise<Run> {
    return new Promise(done => {
        execFile(process.execPath, [CLI, ...args], { cwd }, (error, stdout, stderr) => {
            done({ code: error ? Number(error.code) : 0, stdout, stderr });
        });
    });
}

describe('the tsrpc-session command', () => {
    let app: string;
    const protocols = () => join(app, 'src/shared/protocols');
    const base = () => join(protocols(), 'base.ts');

    beforeEach(async () => {
        app = await mkdtemp(join(tmpdir(), 'tsrpc-session-cli-'));
        await mkdir(protocols(), { recursive: true });
    });
    afterEach(async () => {
        await rm(app, { recursive: true, force: true });
    });

    it("adds the fields to TSRPC's stock base.ts, keeping its comments, and a second run changes nothing", async () => {
        await copyFile(join(FIXTURES, 'stockBase.ts'), base());
        const check = await cli(app, 'protocols', 'src/shared/protocols', '--check');
        assert.strictEqual(check.code, 1);
        assert.match(check.stderr, /lacks .*BaseRequest\.__cookie.*BaseResponse\.__sessionTicket/);

        const first = await cli(app, 'protocols', 'src/shared/protocols');
        assert.strictEqual(first.code, 0, first.stderr);
        const text = await readFile(base(), 'utf8');
        assert.match(text, /^\/\/ Shared fields of every request/);
        assert.match(text, /export interface BaseRequest \{\n {4}__cookie\?: CookieValues;\n\}/);
        assert.match(text, /export interface BaseResponse \{\n {4}__cookie\?: CookieUpdates;\n {4}\/\*\*[^]*\n {4}__sessionTicket\?: string;\n\}/);
        assert.match(text, /export type CookieUpdates = /);

        const second = await cli(app, 'protocols', 'src/shared/protocols');
        assert.match(second.stdout, /up to date/);
        assert.strictEqual(await readFile(base(), 'utf8'), text);
        assert.strictEqual((await cli(app, 'protocols', 'src/shared/protocols', '--check')).code, 0);
    });

    it("keeps the app's own fields, comments and indentation and adds only what is missing", async () => {
        const own = await readFile(join(FIXTURES, 'ownFieldsBase.ts'), 'utf8');
        await writeFile(base(), own);
        const run = await cli(app, 'protocols', 'src/shared/protocols');
        assert.strictEqual(run.code, 0, run.stderr);
        const text = await readFile(base(), 'utf8');
        assert.match(text, /\/\*\* Login token \*\/\n {2}_token\?: string \/\/ the app's token\n {2}__cookie\?: CookieValues;\n\}/);
        assert.match(text, /\/\/ Refreshed token\n {2}__refreshedToken\?: string;\n {2}__cookie\?: CookieUpdates;/);
        assert.match(text, /export interface BaseConf \{\n {2}needLogin\?: boolean\n\}/);
        assert.match(text, /export interface BaseMessage \{/);
        // Nothing of the app's text is lost: removing what was added gives the file back.
        for (const line of own.split('\n')) assert.ok(text.includes(line), `kept: ${line}`);
        assert.match((await cli(app, 'protocols', 'src/shared/protocols')).stdout, /up to date/);
    });

    it('writes a missing base.ts, and --check fails on it without writing', async () => {
        const check = await cli(app, 'protocols', 'src/shared/protocols', '--check');
        assert.strictEqual(check.code, 1);
        assert.match(check.stderr, /base\.ts is missing/);
        await assert.rejects(readFile(base()), { code: 'ENOENT' });
        assert.strictEqual((await cli(app, 'protocols', 'src/shared/protocols')).code, 0);
        assert.strictEqual(await readFile(base(), 'utf8'), await readFile(resolve(__dirname, '../../shared/protocols/base.ts'), 'utf8'));
    });

    it('init adds the protocol fields and writes a session.d.ts that is a module, and says what it did', async () => {
        await copyFile(join(FIXTURES, 'stockBase.ts'), base());
        const run = await cli(app, 'init');
        assert.strictEqual(run.code, 0, run.stderr);
        assert.match(run.stdout, /added to src\/shared\/protocols\/base\.ts/);
        assert.match(run.stdout, /wrote src\/session\.d\.ts/);
        const types = await readFile(join(app, 'src/session.d.ts'), 'utf8');
        assert.match(types, /^export \{\};$/m);
        assert.match(types, /declare module 'tsrpc-session\/server' \{\n {4}interface SessionData \{/);
        await writeFile(join(app, 'src/session.d.ts'), '// mine\n');
        assert.match((await cli(app, 'init')).stdout, /session\.d\.ts exists: left as it is/);
        assert.strictEqual(await readFile(join(app, 'src/session.d.ts'), 'utf8'), '// mine\n');
    });

    it('init says where it looked when the app has no protocols folder', async () => {
        await rm(join(app, 'src'), { recursive: true });
        const run = await cli(app, 'init');
        assert.strictEqual(run.code, 1);
        assert.match(run.stderr, /no protocols folder .*--protocols/);
    });

    it('secret prints a new random secret of 32 bytes that enableSession accepts', async () => {
        const [a, b] = [await cli(app, 'secret'), await cli(app, 'secret')];
        assert.match(a.stdout, /^[A-Za-z0-9_-]{43}\n$/);
        assert.notStrictEqual(a.stdout, b.stdout);
        assert.strictEqual(Buffer.from(a.stdout.trim(), 'base64url').length, 32);
    });
});
