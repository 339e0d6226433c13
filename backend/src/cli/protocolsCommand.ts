import { readFile, writeFile } from 'fs/promises';
import { join, relative, resolve } from 'path';
import { mergeBase } from './mergeBase';
import { loadTypeScript } from './loadTypeScript';

// The build copies shared/protocols/base.ts here: the same text as the package's ./protocols types.
const TEMPLATE = join(__dirname, 'templates', 'base.ts');

export async function readIfExists(path: string): Promise<string | undefined> {
    try {
        return await readFile(path, 'utf8');
    } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw e;
    }
}

/** Where a command writes, relative to where the user ran it. */
export function shown(path: string): string {
    return relative(process.cwd(), path) || path;
}

/**
 * Writes base.ts into `dir`, or adds the tsrpc-session fields an existing one lacks. With `check`,
 * changes nothing and fails (1) naming what is missing.
 */
export async function protocolsCommand(dir: string, check: boolean): Promise<number> {
    const target = resolve(dir, 'base.ts');
    const template = await readFile(TEMPLATE, 'utf8');
    const current = await readIfExists(target);
    if (current === undefined) {
        if (check) {
            console.error(`${shown(target)} is missing: run npx tsrpc-session protocols ${dir}`);
            return 1;
        }
        await writeFile(target, template);
        console.log(`wrote ${shown(target)} (BaseRequest, BaseResponse, BaseConf, BaseMessage with the tsrpc-session fields); now run tsrpc-cli proto`);
        return 0;
    }
    const { text, added } = mergeBase(await loadTypeScript(), current, template);
    if (added.length === 0) {
        console.log(`${shown(target)} is up to date`);
        return 0;
    }
    if (check) {
        console.error(`${shown(target)} lacks ${added.join(', ')}: run npx tsrpc-session protocols ${dir}`);
        return 1;
    }
    await writeFile(target, text);
    console.log(`added to ${shown(target)}: ${added.join(', ')}; your own fields are kept. Now run tsrpc-cli proto`);
    return 0;
}
