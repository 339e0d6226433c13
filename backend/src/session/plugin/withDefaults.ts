/** Options over defaults, where an option set to undefined keeps its default instead of erasing it. */
export function withDefaults<D extends object, O extends object>(defaults: D, options: O): D & Partial<O> {
    const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
    return { ...defaults, ...given } as D & Partial<O>;
}
