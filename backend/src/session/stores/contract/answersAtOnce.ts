import assert from 'assert';
import type { SessionStore } from '../SessionStore';

/**
 * The store under test with every `load` the suite makes also put to its `loadCached`, when it has
 * one: a read answered from memory must be the answer `load` gives at that instant (`null` for
 * none), or the plugin would serve a session the store does not hold. Likewise every other
 * `update` goes to its `updateNow`, when it has one, so the suite's checks of updates hold both.
 */
export function checkingAnswersAtOnce(store: SessionStore): SessionStore {
    const { loadCached, updateNow } = store;
    if (loadCached === undefined && updateNow === undefined) return store;
    const load: SessionStore['load'] = async (key, now) => {
        const held = loadCached?.call(store, key, now);
        const loaded = await store.load(key, now);
        if (held !== undefined) assert.deepStrictEqual(held ?? undefined, loaded, `loadCached(${key}) must answer as load does`);
        return loaded;
    };
    let updates = 0;
    const update: SessionStore['update'] = (key, changes, activity) => {
        const done = updates++ % 2 === 0 ? updateNow?.call(store, key, changes, activity) : undefined;
        return done === undefined ? store.update(key, changes, activity) : Promise.resolve(done);
    };
    // Methods bound to the store itself: stores keep their state in private fields.
    return new Proxy(store, {
        get(target, property) {
            if (property === 'load') return load;
            if (property === 'update') return update;
            const value: unknown = Reflect.get(target, property);
            return typeof value === 'function' ? value.bind(target) : value;
        },
    });
}
