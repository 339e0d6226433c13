import type { TsrpcConfig } from 'tsrpc-cli';

// tsrpc-cli resolves every path against the working directory: pin it to the repository root.
const config: TsrpcConfig = {
    cwd: __dirname,
    proto: [
        {
            ptlDir: 'shared/protocols',
            output: 'shared/protocols/serviceProto.ts',
            apiDir: 'backend/src/api',
            ignore: ['shared/protocols/serviceProto.ts'],
        },
        {
            ptlDir: 'test/protocols',
            output: 'test/protocols/serviceProto.ts',
            ignore: ['test/protocols/serviceProto.ts'],
        },
        {
            ptlDir: 'bench/protocols',
            output: 'bench/protocols/serviceProto.ts',
            ignore: ['bench/protocols/serviceProto.ts'],
        },
    ],
    dev: {
        autoProto: true,
        autoApi: false,
        watch: ['backend/src', 'shared'],
        entry: 'backend/src/index.ts',
    },
    checkOptimizableProto: false,
};

export default config;
