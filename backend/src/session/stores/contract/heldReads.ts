import assert from 'assert';
import type { SessionStore } from '../SessionStore';

/**
 * The store under test with every `load` the suite makes also put to its `loadCached`, when it has
 * one: a read answered from memory must be the answer `load` gives at that instant (`null` for
 * none), or the plugin would serve a session the store does not hold.
 */
export function checkingHeldReads(store: SessionStore): SessionStore {
    const { loadCached } = store;
    if (loadCached === undefined) return store;
    const load: SessionStore['load'] = async (key, now) => {
        const held = loadCached.call(store, key, now);
        const loaded = await store.load(key, now);
        if (held !== undefined) assert.deepStrictEqual(held ?? undefined, loaded, `loadCached(${key}) must answer as load does`);
        return loaded;
    };
    // Methods bound to the store itself: stores keep their state in private fields.
    return new Proxy(store, {
        get(target, property) {
            if (property === 'load') return load;
            const value: unknown = Reflect.get(target, property);
            return typeof value === 'function' ? value.bind(target) : value;
        },
    });
}
