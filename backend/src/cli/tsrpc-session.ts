#!/usr/bin/env node
import { initCommand } from './initCommand';
import { protocolsCommand } from './protocolsCommand';
import { secretCommand } from './secretCommand';

const USAGE = `Usage:
  tsrpc-session init [app folder] [--protocols <folder>]
      adds the tsrpc-session fields to the protocols' base.ts and writes session.d.ts
  tsrpc-session protocols <protocols folder> [--check]
      writes base.ts (BaseRequest, BaseResponse, BaseConf, BaseMessage with the __cookie fields)
      where tsrpc-cli reads the app's protocols, or adds the fields an existing base.ts lacks,
      keeping the app's own fields, comments and formatting
      --check  change nothing; exit 1 naming what base.ts lacks (for CI)
  tsrpc-session secret
      prints a random 32-byte secret for options.secrets`;

function usage(): number {
    console.error(USAGE);
    return 2;
}

async function main(args: string[]): Promise<number> {
    const [command, ...rest] = args;
    const flags = rest.filter(a => a.startsWith('--'));
    const positional = rest.filter(a => !a.startsWith('--'));
    if (command === 'secret' && rest.length === 0) return secretCommand();
    if (command === 'protocols' && positional.length === 1) {
        if (flags.includes('--force')) console.error('--force is no longer needed: the fields are added to your base.ts, which keeps your own');
        if (flags.some(f => f !== '--check' && f !== '--force')) return usage();
        return protocolsCommand(positional[0]!, flags.includes('--check'));
    }
    if (command === 'init') {
        const at = rest.indexOf('--protocols');
        const protocols = at >= 0 ? rest[at + 1] : undefined;
        const others = rest.filter((a, i) => i !== at && i !== at + 1);
        if ((at >= 0 && protocols === undefined) || others.length > 1 || others.some(a => a.startsWith('--'))) return usage();
        return initCommand(others[0] ?? '.', protocols);
    }
    return usage();
}

main(process.argv.slice(2)).then(code => { process.exitCode = code; }, e => {
    console.error(`tsrpc-session: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
});
