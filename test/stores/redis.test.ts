import { describeStoreContract } from './contract';
import { makeRedisStore } from './redisHelpers';

describeStoreContract('RedisStore', () => makeRedisStore('contract'));
