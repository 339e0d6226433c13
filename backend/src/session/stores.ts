// `tsrpc-session/stores`: what a store author uses: the contract, its test kit, the wrapper and the adapters.
export { SESSION_RECORD_VERSION } from './stores/SessionStore';
export type {
    SessionStore, SessionRecord, SessionSummary, SessionChanges, SessionActivity, SessionTimes, CompareAndSetResult, MaybePromise,
    SessionRenewal, RenewResult,
} from './stores/SessionStore';
export type { EvictedSession, EvictionListener, EvictionSource } from './stores/evictions';
export { RENEWAL_CHAIN_LIMIT } from './stores/rules';
export { StoreWrapper } from './stores/StoreWrapper';
export type { StoreOperation } from './stores/StoreWrapper';
export type {
    RevocationChannel, RevocationChannelStore, RevocationEvent, RevocationListener,
} from './stores/RevocationChannel';
export type { RevocationChannelState } from './connections/BroadcastBindings';
export { SummerStorageAdapter } from './stores/adapters/SummerStorageAdapter';
export type { SummerSessionStorage } from './stores/adapters/SummerStorageAdapter';
export { KoaStoreAdapter } from './stores/adapters/KoaStoreAdapter';
export type { KoaSessionStore, KoaStoreAdapterOptions } from './stores/adapters/KoaStoreAdapter';
export { describeStoreContract } from './stores/contract/storeContract';
export type { MakeStore, StoreUnderTest } from './stores/contract/storeContract';
export type { TestHarness } from './stores/contract/harness';
