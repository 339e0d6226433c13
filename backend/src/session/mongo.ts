export { MongoStore, defaultMongoStoreOptions } from './stores/MongoStore';
export type { MongoStoreOptions } from './stores/MongoStore';
export { MongoStoreError } from './stores/mongoConnection';
