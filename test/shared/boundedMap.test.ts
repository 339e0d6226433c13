import { strict as assert } from 'assert';
import { BoundedMap } from '../../shared/boundedMap';

describe('BoundedMap', () => {
    it('never holds more than its bound, and always the most recent half of it', () => {
        const map = new BoundedMap<number, number>(100);
        for (let i = 0; i < 1_000; i++) {
            map.set(i, i * 2);
            assert.ok(map.size <= 100, `size ${map.size} after ${i + 1} inserts`);
            for (let recent = Math.max(0, i - 49); recent <= i; recent++) assert.ok(map.has(recent), `${recent} dropped after ${i + 1} inserts`);
        }
        assert.equal(map.get(999), 1998);
        assert.equal(map.get(0), undefined);
    });

    it('keeps an entry that is read while newer ones arrive, and drops one that is not', () => {
        const map = new BoundedMap<string, string>(4);
        map.set('used', 'u');
        map.set('idle', 'i');
        for (let i = 0; i < 10; i++) {
            assert.equal(map.get('used'), 'u');
            map.set(`new${i}`, 'n');
        }
        assert.equal(map.get('used'), 'u');
        assert.equal(map.has('idle'), false);
    });

    it('replaces a value in place, deletes from either generation, and lists oldest first', () => {
        const map = new BoundedMap<string, number>(4);
        map.set('a', 1).set('b', 2).set('c', 3);
        map.set('a', 10);
        assert.deepEqual([...map.entries()], [['b', 2], ['c', 3], ['a', 10]]);
        assert.equal(map.delete('b'), true);
        assert.equal(map.delete('a'), true);
        assert.equal(map.delete('a'), false);
        assert.deepEqual([...map.entries()], [['c', 3]]);
        map.clear();
        assert.equal(map.size, 0);
    });

    it('keeps undefined values apart from absent keys', () => {
        const map = new BoundedMap<string, undefined>(2);
        map.set('k', undefined);
        assert.equal(map.has('k'), true);
        map.set('l', undefined);
        assert.equal(map.has('k'), true);
        assert.equal(map.get('k'), undefined);
        assert.equal(map.has('k'), true);
    });

    it('keeps one entry under a bound of 1, and never more for odd bounds', () => {
        const one = new BoundedMap<number, number>(1);
        const three = new BoundedMap<number, number>(3);
        for (let i = 0; i < 10; i++) {
            one.set(i, i);
            three.set(i, i);
            assert.equal(one.size, 1);
            assert.equal(one.get(i), i);
            assert.ok(three.size <= 3 && three.has(i));
        }
    });

    it('refuses a bound it cannot keep', () => {
        assert.throws(() => new BoundedMap(0), RangeError);
        assert.throws(() => new BoundedMap(2.5), RangeError);
    });
});
