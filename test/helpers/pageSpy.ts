import type { Page } from 'playwright-core';

/**
 * What a script injected into the page sees: installed before the page's own scripts run, it wraps
 * XMLHttpRequest, fetch and WebSocket and records every request body, response body and header,
 * WebSocket frame both ways, and `document.cookie` after each, as text (binary as Latin-1, so an
 * id in it shows as itself). A script of an attacker could do no more than this.
 */
export async function installPageSpy(page: Page): Promise<void> {
    await page.addInitScript(() => {
        const seen: string[] = [];
        (window as unknown as { __seen: string[] }).__seen = seen;
        const text = (data: unknown): string => {
            if (typeof data === 'string') return data;
            if (data instanceof ArrayBuffer) return String.fromCharCode(...new Uint8Array(data));
            if (ArrayBuffer.isView(data)) return String.fromCharCode(...new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
            return data === undefined || data === null ? '' : String(data);
        };
        const record = (what: string, data: unknown) => seen.push(`${what}: ${text(data)}`, `document.cookie: ${document.cookie}`);

        const { open, send } = XMLHttpRequest.prototype;
        XMLHttpRequest.prototype.open = function (this: XMLHttpRequest, ...args: Parameters<typeof open>) {
            this.addEventListener('loadend', () => {
                record('xhr response headers', this.getAllResponseHeaders());
                record('xhr response', this.response);
            });
            return open.apply(this, args);
        } as typeof open;
        XMLHttpRequest.prototype.send = function (this: XMLHttpRequest, body) {
            record('xhr request', body);
            return send.call(this, body);
        };

        const originalFetch = window.fetch;
        window.fetch = async (input, init) => {
            record('fetch request', init?.body);
            const response = await originalFetch(input, init);
            const headers: string[] = [];
            response.headers.forEach((value, name) => headers.push(`${name}: ${value}`));
            record('fetch response headers', headers.join('\n'));
            record('fetch response', await response.clone().text());
            return response;
        };

        const OriginalWebSocket = window.WebSocket;
        window.WebSocket = class extends OriginalWebSocket {
            constructor(url: string | URL, protocols?: string | string[]) {
                super(url, protocols);
                this.addEventListener('message', event => record('ws message', event.data));
            }

            override send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
                record('ws send', data);
                super.send(data);
            }
        };
    });
}

/** Everything the spy recorded since the page (re)loaded. */
export function spiedTraffic(page: Page): Promise<string[]> {
    return page.evaluate(() => (window as unknown as { __seen: string[] }).__seen);
}
