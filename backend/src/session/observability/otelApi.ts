import { createRequire } from 'module';
import type * as OtelApi from '@opentelemetry/api';

/**
 * `@opentelemetry/api` when the app has it installed (an optional peer), else undefined: without
 * it nobody can register a provider, so there is nothing to emit to.
 */
export const otelApi: typeof OtelApi | undefined = loadOptional();

function loadOptional(): typeof OtelApi | undefined {
    try {
        // Both our builds load the CommonJS build, as the app's SDK does: one API, one global registry.
        return createRequire(__filename)('@opentelemetry/api') as typeof OtelApi;
    } catch {
        return undefined;
    }
}
