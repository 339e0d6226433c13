import { copyFile, mkdir } from 'fs/promises';
import { join } from 'path';
import { defineConfig, Options } from 'tsup';

/** `scripts/freshBuild.js` builds into a fresh folder and swaps it in, so no running start loses dist/. */
const outDir = process.env.TSRPC_SESSION_OUT_DIR ?? 'dist';

const common: Options = {
    format: ['esm', 'cjs'],
    target: 'node20',
    outDir,
    // Shared chunks: a module used by several entries (the store contract, the errors) exists once
    // per format, so `instanceof` holds across `./server` and `./stores/*`.
    splitting: true,
    treeshake: true,
    dts: true,
    tsconfig: 'tsconfig.build.json',
};

export default defineConfig([
    {
        ...common,
        entry: {
            server: 'backend/src/session/index.ts',
            stores: 'backend/src/session/stores.ts',
            'stores/redis': 'backend/src/session/redis.ts',
            'stores/mongo': 'backend/src/session/mongo.ts',
            testing: 'backend/src/session/testing.ts',
        },
        platform: 'node',
        // __filename in the ES module build too (tsrpcError.ts loads tsrpc's CommonJS build through it).
        shims: true,
    },
    {
        // Built apart from the server so that no Node-only shim reaches a browser bundle.
        ...common,
        entry: {
            client: 'frontend/src/session/index.ts',
            'client/file-storage': 'frontend/src/session/storages/FileStorage.ts',
            protocols: 'shared/protocols/base.ts',
        },
        platform: 'node',
    },
    {
        // The `tsrpc-session` command, with the wire types it writes into an app's protocols folder.
        ...common,
        entry: { cli: 'backend/src/cli/tsrpc-session.ts' },
        format: ['cjs'],
        dts: false,
        platform: 'node',
        async onSuccess() {
            await mkdir(join(outDir, 'templates'), { recursive: true });
            await copyFile('shared/protocols/base.ts', join(outDir, 'templates', 'base.ts'));
        },
    },
]);
