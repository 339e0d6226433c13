export { enableSession } from './enableSession';
export type { SessionPlugin } from './enableSession';
export { defaultSessionOptions, userAgentLabel } from './options';
export type { SessionOptions, ResolvedSessionOptions } from './options';
export type { ConnectionSession, Session, RegenerateOptions, CallCookies, CookieSetOptions } from './handlerApi';
export type { SessionData, SessionKey, SessionValue } from './SessionData';
export { SessionErrorCode } from './errors';
export { limitRequestSize, defaultRequestSizeOptions, REQUEST_TOO_LARGE } from './requestLimits';
export type { RequestSizeOptions } from './requestLimits';
export { allowWebSocketOrigins } from './webSocketOrigins';
export type { SessionAuditEvent, SessionAuditEventType, SessionAuditHook } from './audit';
export type { DeviceInfo } from './DeviceDirectory';
export { MemoryStore, defaultMemoryStoreOptions } from './stores/MemoryStore';
export type { MemoryStoreOptions } from './stores/MemoryStore';
export { SESSION_RECORD_VERSION } from './stores/SessionStore';
export type {
    SessionStore, SessionRecord, SessionSummary, SessionChanges, SessionActivity, SessionTimes, CompareAndSetResult, MaybePromise,
    SessionRenewal, RenewResult,
} from './stores/SessionStore';
export type { EvictedSession, EvictionListener, EvictionSource } from './stores/evictions';
export { StoreWrapper } from './stores/StoreWrapper';
export type { StoreOperation } from './stores/StoreWrapper';
export type {
    RevocationChannel, RevocationChannelStore, RevocationEvent, RevocationListener,
} from './stores/RevocationChannel';
export type { RevocationChannelState } from './BroadcastBindings';
export { SummerStorageAdapter } from './stores/adapters/SummerStorageAdapter';
export type { SummerSessionStorage } from './stores/adapters/SummerStorageAdapter';
export { KoaStoreAdapter, defaultKoaStoreAdapterOptions } from './stores/adapters/KoaStoreAdapter';
export type { KoaSessionStore, KoaStoreAdapterOptions } from './stores/adapters/KoaStoreAdapter';
export { defaultHttpCookieOptions } from './options';
export type { SessionCarrier, HttpCookieOptions } from './options';
export { CROSS_SITE_REQUEST, CROSS_SITE_WEBSOCKET_REASON } from './crossSite';
export { SESSION_TICKET_INVALID } from './sessionTickets';
