import { SessionIdCodec } from '../../backend/src/session/core/SessionIdCodec';

/** A small seeded PRNG (mulberry32): a failing fuzz run can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
    let state = seed >>> 0;
    return () => {
        state = (state + 0x6d2b79f5) >>> 0;
        let t = state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

const ALPHABETS = [
    'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-',
    '.\\/"\'`$%{}[]<>;:,=&?#@!*()|^~+ \t\n\r\0',
    'éüßøñ中文字符😀🔥\u202e\u200b\ufeff\ud800',
];

/** Hostile `__cookie` values: wrong types, huge and odd strings, forged ids, prototype keys. */
export class HostileCookies {
    readonly #random: () => number;
    readonly #forger: SessionIdCodec;
    readonly #victimSid: string;

    /** `victimSid` is a real session's cookie, to be mangled in ways that must never get it back. */
    constructor(seed: number, victimSid: string, forgerSecret: string) {
        this.#random = seededRandom(seed);
        this.#forger = new SessionIdCodec([forgerSecret]);
        this.#victimSid = victimSid;
    }

    /** Any JSON value as a `__cookie`: mostly objects of string values (the valid type), often not. */
    cookie(): unknown {
        const r = this.#random();
        if (r < 0.55) return this.#validlyTyped();
        if (r < 0.85) return { sid: this.#anyValue(3), [this.#string(8)]: this.#anyValue(2) };
        return this.#anyValue(4);
    }

    /** Only string values: what passes the protocol's type check and reaches the plugin. */
    validlyTypedCookie(): Record<string, string> {
        return this.#validlyTyped();
    }

    /**
     * A hostile `Cookie` request header: many pairs, garbage, quotes, duplicates. The victim's real
     * id appears only where it must not count (a second `sid`, another name, another case).
     */
    cookieHeader(): string {
        const pairs: string[] = [];
        for (let i = this.#int(4); i > 0; i--) pairs.push(this.#random() < 0.7 ? `${this.#string(12)}=${this.#string(40)}` : this.#string(30));
        const sid = this.#hostileSid();
        let session: string[];
        switch (this.#int(5)) {
            case 0: session = [`sid="${sid}"`]; break;
            // A second, non-empty sid: an empty one is no session cookie, and the victim's would rightly
            // count. So no `;` may end it early and it ends in a character no trim or header filter removes.
            case 1: session = [`sid=${sid.replace(/;/g, '')}0`, `sid=${this.#victimSid}`]; break;
            case 2: session = [`SID=${this.#victimSid}`, `xsid=${this.#victimSid}`, `sid =${sid}`]; break;
            case 3: session = [`sid=${this.#victimSid}${this.#pick(['x', '!', '.', '%'])}`]; break;
            default: session = [` sid=${sid} `];
        }
        pairs.splice(this.#int(pairs.length + 1), 0, ...session);
        return pairs.join(this.#pick(['; ', ';', ' ; ', ',']));
    }

    /** A hostile value of the session header: the id mangled, forged, huge or garbage. */
    headerValue(): string {
        return this.#hostileSid();
    }

    #validlyTyped(): Record<string, string> {
        const cookie: Record<string, string> = {};
        const extra = this.#int(this.#random() < 0.05 ? 2000 : 4);
        for (let i = 0; i < extra; i++) cookie[this.#name()] = this.#string(64);
        cookie.sid = this.#hostileSid();
        return cookie;
    }

    #hostileSid(): string {
        const [id, signature] = this.#victimSid.split('.');
        switch (this.#int(9)) {
            case 0: return `${this.#mutate(id)}.${signature}`;
            case 1: return `${id}.${this.#mutate(signature)}`;
            case 2: return this.#forger.sign(id);
            case 3: return this.#forger.sign(this.#forger.newId());
            case 4: return id;
            case 5: return `${id}.${signature}.${signature}`;
            case 6: return this.#string(this.#random() < 0.1 ? 200_000 : 87);
            case 7: return `${this.#string(43)}.${this.#string(43)}`;
            default: return this.#mutate(this.#victimSid);
        }
    }

    #name(): string {
        const names = ['__proto__', 'constructor', 'prototype', 'sid', 'toString', 'hasOwnProperty', '', 'a'.repeat(300)];
        return this.#random() < 0.3 ? names[this.#int(names.length)] : this.#string(12);
    }

    #anyValue(depth: number): unknown {
        const r = this.#int(depth > 0 ? 9 : 6);
        switch (r) {
            case 0: return this.#string(100);
            case 1: return (this.#random() - 0.5) * 10 ** this.#int(300);
            case 2: return this.#random() < 0.5;
            case 3: return null;
            case 4: return this.#pick([NaN, Infinity, -0, Number.MAX_SAFE_INTEGER + 2, 1e-300]);
            case 5: return '';
            case 6: return Array.from({ length: this.#int(5) }, () => this.#anyValue(depth - 1));
            case 7: return Object.fromEntries(Array.from({ length: this.#int(5) }, () => [this.#name(), this.#anyValue(depth - 1)]));
            default: return this.#deeplyNested(50 + this.#int(200));
        }
    }

    #deeplyNested(depth: number): unknown {
        let value: unknown = 'bottom';
        for (let i = 0; i < depth; i++) value = this.#random() < 0.5 ? [value] : { sid: value };
        return value;
    }

    /** One character changed, never for itself: the result always differs from `text`. */
    #mutate(text: string): string {
        const chars = [...text];
        const at = this.#int(chars.length);
        let replacement = this.#string(1);
        while (replacement === '' || replacement === chars[at]) replacement = this.#string(1);
        chars[at] = replacement;
        return chars.join('');
    }

    #string(maxLength: number): string {
        const alphabet = ALPHABETS[this.#int(ALPHABETS.length)];
        const symbols = [...alphabet];
        return Array.from({ length: this.#int(maxLength + 1) }, () => symbols[this.#int(symbols.length)]).join('');
    }

    #pick<T>(values: T[]): T {
        return values[this.#int(values.length)];
    }

    #int(below: number): number {
        return Math.floor(this.#random() * below);
    }
}
