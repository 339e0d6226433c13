import { defineConfig } from 'tsup';

// One build for every entry point with shared chunks, so a module used by several entries (the
// store contract, the errors) exists once per format and `instanceof` holds across subpaths.
export default defineConfig({
    entry: {
        server: 'backend/src/session/index.ts',
        'stores/redis': 'backend/src/session/stores/RedisStore.ts',
        'stores/mongo': 'backend/src/session/stores/MongoStore.ts',
        testing: 'backend/src/session/testing.ts',
        client: 'frontend/src/session/index.ts',
        'client/file-storage': 'frontend/src/session/storages/FileStorage.ts',
        protocols: 'shared/protocols/base.ts',
    },
    format: ['esm', 'cjs'],
    platform: 'node',
    target: 'node20',
    outDir: 'dist',
    splitting: true,
    dts: true,
    tsconfig: 'tsconfig.build.json',
    clean: true,
});
