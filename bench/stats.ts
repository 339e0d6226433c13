/** Nearest-rank percentile of ascending `sorted`; NaN when empty. */
export function percentile(sorted: Float64Array, p: number): number {
    if (sorted.length === 0) return NaN;
    const rank = Math.ceil((p / 100) * sorted.length);
    return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export function sortedCopy(values: readonly number[]): Float64Array {
    return Float64Array.from(values).sort();
}

/** The element whose `key` is the median (the lower one of an even count). */
export function medianBy<T>(items: readonly T[], key: (item: T) => number): T {
    const sorted = [...items].sort((a, b) => key(a) - key(b));
    return sorted[Math.floor((sorted.length - 1) / 2)];
}
