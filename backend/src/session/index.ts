// `tsrpc-session/server`: what an app author uses. Store authors: `tsrpc-session/stores`.
export { enableSession } from './plugin/enableSession';
export type { SessionPlugin, SealedSessionPlugin } from './plugin/enableSession';
export type { SealedOptions, SealedSessionOptions } from './sealed/options';
export type { SessionOptions } from './plugin/options';
export type { ConnectionSession, Session, CallCookies } from './handler/handlerApi';
export type { SessionData } from './handler/SessionData';
export type { DeviceInfo } from './connections/DeviceDirectory';
export { SessionErrorCode } from './plugin/errors';
export { limitRequestSize } from './guards/requestLimits';
export { allowWebSocketOrigins } from './guards/webSocketOrigins';
export { limitWebSockets } from './guards/webSocketLimits';
export type { WebSocketLimitOptions, WebSocketCounts } from './guards/webSocketLimits';
export type { SessionAuditEvent, SessionAuditEventType, SessionAuditHook } from './observability/audit';
export { MemoryStore } from './stores/MemoryStore';
export type { SessionStore } from './stores/SessionStore';
