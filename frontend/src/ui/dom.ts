type Child = Node | string | null | undefined | false;

/** A small element builder: plain DOM, no framework. */
export function h<K extends keyof HTMLElementTagNameMap>(
    tag: K, props: Partial<HTMLElementTagNameMap[K]> & { dataset?: Record<string, string> } = {}, ...children: Child[]
): HTMLElementTagNameMap[K] {
    const { dataset, ...rest } = props;
    const element = Object.assign(document.createElement(tag), rest);
    if (dataset) Object.assign(element.dataset, dataset);
    for (const child of children) {
        if (child !== null && child !== undefined && child !== false) element.append(child);
    }
    return element;
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
    const element = document.getElementById(id);
    if (!element) throw new Error(`#${id} is missing from index.html`);
    return element as T;
}
