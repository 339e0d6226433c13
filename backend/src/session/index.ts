export { enableSession } from './plugin/enableSession';
export type { SessionPlugin, SealedSessionPlugin } from './plugin/enableSession';
export type { SealedOptions, SealedSessionOptions } from './sealed/options';
export { SealedErrorCode } from './sealed/sealedErrors';
export { defaultSessionOptions, userAgentLabel } from './plugin/options';
export type { SessionOptions, ResolvedSessionOptions } from './plugin/options';
export type { ConnectionSession, Session, RegenerateOptions, CallCookies, CookieSetOptions } from './handler/handlerApi';
export type { SessionData, SessionKey, SessionValue } from './handler/SessionData';
export { SessionErrorCode } from './plugin/errors';
export { limitRequestSize, defaultRequestSizeOptions, REQUEST_TOO_LARGE } from './guards/requestLimits';
export type { RequestSizeOptions } from './guards/requestLimits';
export { allowWebSocketOrigins } from './guards/webSocketOrigins';
export type { SessionAuditEvent, SessionAuditEventType, SessionAuditHook } from './observability/audit';
export type { DeviceInfo } from './connections/DeviceDirectory';
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
export type { RevocationChannelState } from './connections/BroadcastBindings';
export { SummerStorageAdapter } from './stores/adapters/SummerStorageAdapter';
export type { SummerSessionStorage } from './stores/adapters/SummerStorageAdapter';
export { KoaStoreAdapter, defaultKoaStoreAdapterOptions } from './stores/adapters/KoaStoreAdapter';
export type { KoaSessionStore, KoaStoreAdapterOptions } from './stores/adapters/KoaStoreAdapter';
export { defaultHttpCookieOptions } from './plugin/options';
export type { SessionCarrier, HttpCookieOptions } from './plugin/options';
export { CROSS_SITE_REQUEST, CROSS_SITE_WEBSOCKET_REASON } from './carriers/crossSite';
export { SESSION_TICKET_INVALID } from './carriers/sessionTickets';
