#!/usr/bin/env node
import { readFile, writeFile } from 'fs/promises';
import { join, resolve } from 'path';

const USAGE = `Usage: tsrpc-session protocols <protocols folder> [--check] [--force]

Writes base.ts (BaseRequest, BaseResponse, BaseConf, BaseMessage with the __cookie fields) into
the folder where tsrpc-cli reads the app's protocols, so \`tsrpc-cli proto\` generates plain schema
names (base/BaseRequest) instead of paths into node_modules.
  --check  exit 1 when base.ts is missing or differs from what this version writes
  --force  replace a base.ts that differs`;

// The build copies shared/protocols/base.ts here: the same text as the package's ./protocols types.
const TEMPLATE = join(__dirname, 'templates', 'base.ts');

async function readIfExists(path: string): Promise<string | undefined> {
    try {
        return await readFile(path, 'utf8');
    } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw e;
    }
}

async function writeProtocols(dir: string, flags: Set<string>): Promise<number> {
    const target = resolve(dir, 'base.ts');
    const wanted = await readFile(TEMPLATE, 'utf8');
    const current = await readIfExists(target);
    if (current === wanted) {
        console.log(`${target} is up to date`);
        return 0;
    }
    if (flags.has('--check')) {
        console.error(`${target} ${current === undefined ? 'is missing' : 'differs from what tsrpc-session writes'}: run tsrpc-session protocols ${dir}`);
        return 1;
    }
    if (current !== undefined && !flags.has('--force')) {
        console.error(`${target} exists and differs. Either add __cookie to your own BaseRequest and BaseResponse as in\n${TEMPLATE}\nor rerun with --force to replace it.`);
        return 1;
    }
    await writeFile(target, wanted);
    console.log(`wrote ${target}; now run tsrpc-cli proto`);
    return 0;
}

async function main(args: string[]): Promise<number> {
    const flags = new Set(args.filter(a => a.startsWith('--')));
    const [command, dir, ...rest] = args.filter(a => !a.startsWith('--'));
    if (command !== 'protocols' || dir === undefined || rest.length > 0 || [...flags].some(f => f !== '--check' && f !== '--force')) {
        console.error(USAGE);
        return 2;
    }
    return writeProtocols(dir, flags);
}

main(process.argv.slice(2)).then(code => { process.exitCode = code; }, e => {
    console.error(`tsrpc-session: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
});
