export { enableSession } from './enableSession';
export type { SessionPlugin } from './enableSession';
export type { SessionAuditEvent, SessionAuditEventType, SessionAuditHook } from './audit';
export type { DeviceInfo } from './DeviceDirectory';
export { defaultSessionOptions, userAgentLabel } from './options';
export type { SessionOptions, ResolvedSessionOptions } from './options';
export { ConnectionSession, Session } from './Session';
export type { RegenerateOptions } from './Session';
export { CallCookies } from './CallCookies';
export type { CookieSetOptions } from './CallCookies';
export type { SessionData, SessionKey, SessionValue } from './SessionData';
export { SessionErrorCode } from './errors';
export { MemoryStore, defaultMemoryStoreOptions } from './stores/MemoryStore';
export type { MemoryStoreOptions } from './stores/MemoryStore';
export { SESSION_RECORD_VERSION } from './stores/SessionStore';
export type {
    SessionStore, SessionRecord, SessionSummary, SessionChanges, SessionActivity, SessionTimes, CompareAndSetResult,
    SessionRenewal, RenewResult,
} from './stores/SessionStore';
export { CountingStore } from './stores/CountingStore';
export { StoreWrapper } from './stores/StoreWrapper';
export type { StoreOperation } from './stores/StoreWrapper';
export { RedisStore, defaultRedisStoreOptions } from './stores/RedisStore';
export type { RedisStoreOptions, RedisCommandClient, RedisClusterCommandClient } from './stores/RedisStore';
export { SummerStorageAdapter } from './stores/adapters/SummerStorageAdapter';
export type { SummerSessionStorage } from './stores/adapters/SummerStorageAdapter';
export { KoaStoreAdapter, defaultKoaStoreAdapterOptions } from './stores/adapters/KoaStoreAdapter';
export type { KoaSessionStore, KoaStoreAdapterOptions } from './stores/adapters/KoaStoreAdapter';
export type { StoredSession, FieldChanges } from './stores/adapters/LockedRecordStore';
export { LockedRecordStore } from './stores/adapters/LockedRecordStore';
export { MongoStore, defaultMongoStoreOptions } from './stores/MongoStore';
export type { MongoStoreOptions } from './stores/MongoStore';
