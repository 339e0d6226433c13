export { CountingStore } from './stores/CountingStore';
export type { StoreOperation } from './stores/CountingStore';
