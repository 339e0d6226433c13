import { createRequire } from 'module';
import type * as Tsrpc from 'tsrpc';

// tsrpc's ES module build does not load under Node (it takes named exports from the CommonJS `ws`),
// so an ES module app loads tsrpc's CommonJS build with createRequire, and so do both of our builds:
// one TsrpcError in the process, which TSRPC must recognise in the errors the plugin answers with.
export const { TsrpcError } = createRequire(__filename)('tsrpc') as typeof Tsrpc;
export type TsrpcError = Tsrpc.TsrpcError;
