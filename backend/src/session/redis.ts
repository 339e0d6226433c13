export { RedisStore, defaultRedisStoreOptions } from './stores/RedisStore';
export type { RedisStoreOptions, RedisCommandClient, RedisClusterCommandClient } from './stores/RedisStore';
