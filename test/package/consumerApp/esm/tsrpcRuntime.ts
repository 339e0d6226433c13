// The ES module twin of src/tsrpcRuntime.ts: tsrpc's own ES module build does not load under Node
// (it takes named exports from the CommonJS `ws`), so an ES module app loads its CommonJS build.
import { createRequire } from 'module';
import type * as Tsrpc from 'tsrpc';

export const { HttpClient, HttpServer, WsClient, WsServer } = createRequire(import.meta.url)('tsrpc') as typeof Tsrpc;
export type HttpClient<T extends Tsrpc.BaseServiceType> = Tsrpc.HttpClient<T>;
export type HttpServer<T extends Tsrpc.BaseServiceType> = Tsrpc.HttpServer<T>;
export type WsClient<T extends Tsrpc.BaseServiceType> = Tsrpc.WsClient<T>;
export type WsServer<T extends Tsrpc.BaseServiceType> = Tsrpc.WsServer<T>;
