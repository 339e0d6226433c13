export { enableSession } from './enableSession';
export type { SessionPlugin } from './enableSession';
export { defaultSessionOptions, userAgentLabel } from './options';
export type { SessionOptions, ResolvedSessionOptions } from './options';
export type { Session, RegenerateOptions } from './Session';
export type { CallCookies, CookieSetOptions } from './CallCookies';
export type { SessionData, SessionKey, SessionValue } from './SessionData';
export { SessionErrorCode } from './errors';
export type { SessionAuditEvent, SessionAuditEventType, SessionAuditHook } from './audit';
export type { DeviceInfo } from './DeviceDirectory';
export { MemoryStore, defaultMemoryStoreOptions } from './stores/MemoryStore';
export type { MemoryStoreOptions } from './stores/MemoryStore';
export { SESSION_RECORD_VERSION } from './stores/SessionStore';
export type {
    SessionStore, SessionRecord, SessionSummary, SessionChanges, SessionActivity, SessionTimes, CompareAndSetResult, MaybePromise,
} from './stores/SessionStore';
export { SummerStorageAdapter } from './stores/adapters/SummerStorageAdapter';
export type { SummerSessionStorage } from './stores/adapters/SummerStorageAdapter';
export { KoaStoreAdapter } from './stores/adapters/KoaStoreAdapter';
export type { KoaSessionStore, KoaStoreAdapterOptions } from './stores/adapters/KoaStoreAdapter';
