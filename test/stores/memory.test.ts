import { MemoryStore } from 'tsrpc-session/server';
import { describeStoreContract } from './contract';

describeStoreContract('MemoryStore', async () => ({ store: new MemoryStore(), async cleanup() {} }));
