import { Logger } from 'tsrpc';

const REDACTED = '[redacted]';
const MAX_DEPTH = 6;

/**
 * A logger that prints the given fields (the password) as `[redacted]`, wherever TSRPC puts them:
 * the request it logs as `[ApiReq]`, the `req=` of `[ApiErr]`, and the raw JSON text of a request
 * that failed validation. Originals are never changed: the handler still reads the password.
 */
export function redactingLogger(inner: Logger, fields: readonly string[] = ['password']): Logger {
    const secretKeys = new Set(fields);
    const names = fields.map(f => f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
    const inJsonText = new RegExp(`("(?:${names})"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"?`, 'g');

    /** The value with secrets replaced; the very same value when it holds none (custom inspectors and all). */
    const redact = (value: unknown, depth: number): unknown => {
        if (typeof value === 'string') return value.replace(inJsonText, `$1"${REDACTED}"`);
        if (depth >= MAX_DEPTH || value === null || typeof value !== 'object') return value;
        if (Array.isArray(value)) {
            const items = value.map(item => redact(item, depth + 1));
            return items.some((item, i) => item !== value[i]) ? items : value;
        }
        const proto = Object.getPrototypeOf(value);
        if (proto !== Object.prototype && proto !== null) return value;
        let copy: Record<string | symbol, unknown> | undefined;
        for (const [key, field] of Object.entries(value)) {
            const redacted = secretKeys.has(key) ? REDACTED : redact(field, depth + 1);
            if (redacted === field) continue;
            copy ??= Object.assign({}, value) as Record<string | symbol, unknown>;
            copy[key] = redacted;
        }
        return copy ?? value;
    };
    const wrap = (method: keyof Logger) => (...args: unknown[]) => inner[method](...args.map(arg => redact(arg, 0)));
    return { debug: wrap('debug'), log: wrap('log'), warn: wrap('warn'), error: wrap('error') };
}
