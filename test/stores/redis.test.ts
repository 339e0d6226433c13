import { describeStoreContract } from 'tsrpc-session/stores';
import { redisFactory } from './storeFactories';

describeStoreContract('RedisStore', redisFactory.make);
