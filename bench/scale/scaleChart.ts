import type { ScaleRow } from './runScale';

const WIDTH = 900;
const HEIGHT = 420;
const PANEL = { top: 80, bottom: 80, left: 70, width: 330, gap: 110 };
const COLORS: Record<string, string> = {
    'memory read': '#1f77b4', 'memory write': '#6baed6', 'redis read': '#d62728', 'redis write': '#ff9896',
};

interface Point {
    size: number;
    value: number;
}

/**
 * The scale benchmark as an SVG, drawn by hand (no plotting dependency): server CPU per call
 * against stored sessions (log scale), with the +20 % bound of each line's 1 k figure, and bytes
 * per stored session.
 */
export function scaleChart(rows: readonly ScaleRow[], notes: readonly string[]): string {
    const sizes = [...new Set(rows.map(r => r.size))].sort((a, b) => a - b);
    const series = new Map<string, Point[]>();
    for (const row of rows) {
        const name = `${row.store} ${row.operation}`;
        series.set(name, [...(series.get(name) ?? []), { size: row.size, value: row.serverMicrosPerCall }]);
    }
    const bytes = new Map<string, Point[]>();
    for (const row of rows.filter(r => r.operation === 'read')) bytes.set(row.store, [...(bytes.get(row.store) ?? []), { size: row.size, value: row.bytesPerSession }]);

    const left = panel(PANEL.left, 'Server CPU per call (µs)', sizes, series, true);
    const right = panel(PANEL.left + PANEL.width + PANEL.gap, 'Memory per stored session (bytes)', sizes,
        new Map([...bytes].map(([store, points]) => [`${store} read`, points])), false);
    const legend = [...series.keys()].map((name, i) => {
        const x = PANEL.left + i * 150;
        return `<rect x="${x}" y="${HEIGHT - 22}" width="14" height="4" fill="${COLORS[name]}"/><text x="${x + 20}" y="${HEIGHT - 16}">${name}</text>`;
    }).join('');
    return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">
<rect width="100%" height="100%" fill="white"/>
<text x="${PANEL.left}" y="22" font-size="15" font-weight="bold">tsrpc-session: cost of a call as stored sessions grow</text>
${notes.map((note, i) => `<text x="${PANEL.left}" y="${40 + 14 * i}" fill="#555">${escapeXml(note)}</text>`).join('\n')}
${left}
${right}
${legend}
<text x="${PANEL.left + 4 * 150}" y="${HEIGHT - 16}" fill="#555">dashed: +20 % of the 1 k figure</text>
</svg>
`;
}

function panel(x0: number, title: string, sizes: number[], series: Map<string, Point[]>, withBound: boolean): string {
    const y0 = PANEL.top;
    const height = HEIGHT - PANEL.top - PANEL.bottom;
    const all = [...series.values()].flat().map(p => p.value);
    const firsts = [...series.values()].map(points => points[0]?.value ?? 0);
    const step = niceStep(Math.max(...all, ...(withBound ? firsts.map(v => v * 1.2) : [])) * 1.05 / 5);
    const ticks = Math.ceil(Math.max(...all, ...(withBound ? firsts.map(v => v * 1.2) : [])) * 1.05 / step);
    const top = step * ticks;
    const logMin = Math.log10(sizes[0]);
    const logSpan = Math.max(Math.log10(sizes[sizes.length - 1]) - logMin, 1);
    const x = (size: number) => x0 + ((Math.log10(size) - logMin) / logSpan) * PANEL.width;
    const y = (value: number) => y0 + height - (value / top) * height;
    const parts: string[] = [`<text x="${x0}" y="${y0 - 10}" font-weight="bold">${title}</text>`];
    for (let i = 0; i <= ticks; i++) {
        const value = step * i;
        parts.push(`<line x1="${x0}" x2="${x0 + PANEL.width}" y1="${y(value)}" y2="${y(value)}" stroke="#eee"/>`);
        parts.push(`<text x="${x0 - 6}" y="${y(value) + 4}" text-anchor="end" fill="#555">${formatNumber(value)}</text>`);
    }
    for (const size of sizes) {
        parts.push(`<text x="${x(size)}" y="${y0 + height + 18}" text-anchor="middle" fill="#555">${formatSize(size)}</text>`);
    }
    parts.push(`<text x="${x0 + PANEL.width / 2}" y="${y0 + height + 36}" text-anchor="middle" fill="#555">stored sessions (log scale)</text>`);
    parts.push(`<line x1="${x0}" x2="${x0}" y1="${y0}" y2="${y0 + height}" stroke="#888"/><line x1="${x0}" x2="${x0 + PANEL.width}" y1="${y0 + height}" y2="${y0 + height}" stroke="#888"/>`);
    for (const [name, points] of series) {
        const color = COLORS[name];
        if (withBound && points.length > 0) {
            const bound = points[0].value * 1.2;
            parts.push(`<line x1="${x(sizes[0])}" x2="${x(sizes[sizes.length - 1])}" y1="${y(bound)}" y2="${y(bound)}" stroke="${color}" stroke-dasharray="4 4" stroke-width="1"/>`);
        }
        parts.push(`<polyline fill="none" stroke="${color}" stroke-width="2" points="${points.map(p => `${x(p.size).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ')}"/>`);
        for (const p of points) {
            parts.push(`<circle cx="${x(p.size).toFixed(1)}" cy="${y(p.value).toFixed(1)}" r="3.5" fill="${color}"><title>${name}, ${formatSize(p.size)}: ${p.value.toFixed(1)}</title></circle>`);
        }
    }
    return parts.join('\n');
}

/** The round step (1, 2, 2.5 or 5 times a power of ten) at or above `value`. */
function niceStep(value: number): number {
    if (!(value > 0)) return 1;
    const magnitude = 10 ** Math.floor(Math.log10(value));
    return [1, 2, 2.5, 5, 10].map(step => step * magnitude).find(candidate => candidate >= value)!;
}

export function formatSize(size: number): string {
    if (size >= 1e6) return `${size / 1e6} M`;
    if (size >= 1e3) return `${size / 1e3} k`;
    return String(size);
}

function formatNumber(value: number): string {
    if (Number.isInteger(value) || value >= 100) return String(Math.round(value));
    return value.toFixed(value >= 10 ? 0 : 1);
}

function escapeXml(text: string): string {
    return text.replace(/[<>&"]/g, c => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);
}
