import { MemoryStore } from '../../backend/src/session';
import { describeStoreContract } from './contract';

describeStoreContract('MemoryStore', async () => ({ store: new MemoryStore(), async cleanup() {} }));
