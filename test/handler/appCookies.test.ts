import assert from 'assert';
import { AppCookies } from '../../backend/src/session/handler/CallCookies';
import { resolveSessionOptions } from '../../backend/src/session/plugin/options';
import { MemoryStore } from '../../backend/src/session/stores/MemoryStore';

const options = resolveSessionOptions({ secrets: ['a-test-secret-of-at-least-32-characters!'], store: new MemoryStore(), maxCookies: 3, maxCookieBytes: 24 });

// `get` finds one cookie without sanitising the whole `__cookie`; it must keep exactly what `getAll` keeps.
describe('AppCookies.get of an untouched __cookie', () => {
    const cases: Record<string, unknown>[] = [
        { a: '1', 'bad name': 'x', b: '2', c: '3', d: '4' },
        { a: 'x'.repeat(12), b: 'y'.repeat(12), c: 'z' },
        { sid: 'the-session-cookie', n: 5, a: '1', b: null, c: '3', d: '4', e: '5' },
        { 'ü': 'umlaut', a: 'é'.repeat(11), b: '2' },
    ];
    for (const raw of cases) {
        it(`agrees with getAll for ${JSON.stringify(raw)}`, () => {
            const kept = new AppCookies(raw, options).getAll();
            for (const name of [...Object.keys(raw), 'absent']) {
                assert.strictEqual(new AppCookies(raw, options).get(name), kept[name], name);
            }
        });
    }

    it('finds nothing in a __cookie that is not an object', () => {
        for (const raw of [undefined, null, 'a=1', ['a']]) assert.strictEqual(new AppCookies(raw, options).get('a'), undefined);
    });
});
