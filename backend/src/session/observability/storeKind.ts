import type { SessionStore } from '../stores/SessionStore';
import { StoreWrapper } from '../stores/StoreWrapper';

/**
 * The kind of store behind any wrappers, for telemetry attributes: 'redis', 'mongo', 'memory', or
 * the class name of an app's own store ('custom' for a plain object).
 */
export function storeKindOf(store: SessionStore): string {
    let inner = store;
    // `inner` is protected for subclasses; reading it here only names the class.
    while (inner instanceof StoreWrapper) inner = inner['inner'];
    const name = inner.constructor?.name;
    if (!name || name === 'Object') return 'custom';
    return name.endsWith('Store') && name.length > 5 ? name.slice(0, -5).toLowerCase() : name;
}
