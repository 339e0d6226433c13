import { stat, writeFile } from 'fs/promises';
import { join, resolve } from 'path';
import { protocolsCommand, readIfExists, shown } from './protocolsCommand';

/** Where TSRPC's templates keep the protocols, then this repository's layout. */
const PROTOCOL_FOLDERS = ['src/shared/protocols', 'shared/protocols'];

/**
 * The session's types. `export {}` makes the file a module, so `declare module` augments
 * tsrpc-session/server; without it the block would replace the module and hide `enableSession`.
 */
export const SESSION_TYPES = `// What your handlers keep in call.session: add your keys here.
// \`export {}\` makes this file a module, so the block below adds to tsrpc-session/server
// instead of replacing it.
export {};

declare module 'tsrpc-session/server' {
    interface SessionData {
        userId: string;
    }
}
`;

async function isFolder(path: string): Promise<boolean> {
    return (await stat(path).catch(() => undefined))?.isDirectory() === true;
}

/** Adds the protocol fields and writes session.d.ts (unless the app has one) in the app at `root`. */
export async function initCommand(root: string, protocolsDir: string | undefined): Promise<number> {
    const app = resolve(root);
    let protocols = protocolsDir === undefined ? undefined : resolve(protocolsDir);
    for (const candidate of PROTOCOL_FOLDERS) {
        if (protocols === undefined && await isFolder(join(app, candidate))) protocols = join(app, candidate);
    }
    if (protocols === undefined) {
        console.error(`no protocols folder in ${shown(app)} (looked for ${PROTOCOL_FOLDERS.join(', ')}): pass it with --protocols <folder>`);
        return 1;
    }
    const code = await protocolsCommand(protocols, false);
    if (code !== 0) return code;

    const typesFile = join(await isFolder(join(app, 'src')) ? join(app, 'src') : app, 'session.d.ts');
    if (await readIfExists(typesFile) !== undefined) {
        console.log(`${shown(typesFile)} exists: left as it is`);
    } else {
        await writeFile(typesFile, SESSION_TYPES);
        console.log(`wrote ${shown(typesFile)}: declare your session's keys in SessionData there`);
    }
    console.log('next: run tsrpc-cli proto, call enableSession(server, { secrets }) before server.start(), and enableCookies(client) on your clients');
    return 0;
}
