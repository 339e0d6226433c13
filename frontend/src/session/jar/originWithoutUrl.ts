/**
 * The origin of an http(s) or ws(s) URL where no WHATWG `URL` exists (mini-program runtimes): the
 * same as `URL` gives, or undefined for anything this parser cannot read exactly as `URL` would
 * (percent-encoded or non-ASCII hosts, shorthand IPv4 such as `0x7f.1`, IPv6 with an embedded
 * IPv4, `http:host` without slashes). Credentials, backslashes and whitespace are refused before.
 */
export function originWithoutUrl(server: string): string | undefined {
    const parts = /^(https?|wss?):\/\/([^/?#]*)(?:[/?#]|$)/i.exec(server);
    if (!parts) return undefined;
    const scheme = parts[1].toLowerCase();
    const authority = /^(\[[^\]]*\]|[^:[\]]*)(?::(\d*))?$/.exec(parts[2]);
    if (!authority) return undefined;
    const host = authority[1].startsWith('[') ? ipv6Host(authority[1].slice(1, -1)) : domainOrIpv4(authority[1].toLowerCase());
    if (host === undefined) return undefined;
    const port = authority[2] === undefined || authority[2] === '' ? '' : Number(authority[2]);
    if (port !== '' && port > 65535) return undefined;
    const shownPort = port === '' || port === DEFAULT_PORTS[scheme] ? '' : `:${port}`;
    return `${scheme}://${host}${shownPort}`;
}

const DEFAULT_PORTS: Readonly<Record<string, number>> = { http: 80, https: 443, ws: 80, wss: 443 };

/** ASCII labels; a host ending in a number must be canonical dotted-decimal IPv4, as `URL` would print it. */
function domainOrIpv4(host: string): string | undefined {
    if (!/^[a-z0-9-]+(\.[a-z0-9-]+)*\.?$/.test(host)) return undefined;
    if (host.split('.').some(label => label.startsWith('xn--'))) return undefined;
    const labels = host.replace(/\.$/, '').split('.');
    const last = labels[labels.length - 1];
    if (!/^(\d+|0x[0-9a-f]*)$/.test(last)) return host;
    const canonical = labels.length === 4 && labels.every(label => /^(0|[1-9]\d{0,2})$/.test(label) && Number(label) <= 255);
    return canonical && !host.endsWith('.') ? host : undefined;
}

/** `[…]` as WHATWG serialises IPv6: lower-case hex without leading zeros, the first longest run of two or more zero groups as `::`. */
function ipv6Host(text: string): string | undefined {
    if (!/^[0-9a-f:]+$/i.test(text)) return undefined;
    const halves = text.split('::');
    if (halves.length > 2) return undefined;
    const groupsOf = (half: string): number[] | undefined => {
        if (half === '') return [];
        const groups = half.split(':');
        return groups.every(g => /^[0-9a-f]{1,4}$/i.test(g)) ? groups.map(g => parseInt(g, 16)) : undefined;
    };
    const head = groupsOf(halves[0]);
    const tail = halves.length === 2 ? groupsOf(halves[1]) : [];
    if (!head || !tail) return undefined;
    const missing = 8 - head.length - tail.length;
    if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
    const groups = [...head, ...new Array<number>(missing).fill(0), ...tail];
    let runStart = -1;
    let runLength = 1;
    for (let i = 0; i < 8;) {
        let end = i;
        while (end < 8 && groups[end] === 0) end++;
        if (end - i > runLength) [runStart, runLength] = [i, end - i];
        i = end === i ? i + 1 : end;
    }
    const hex = (list: number[]) => list.map(g => g.toString(16)).join(':');
    return runStart < 0 ? `[${hex(groups)}]` : `[${hex(groups.slice(0, runStart))}::${hex(groups.slice(runStart + runLength))}]`;
}
