import { ResolvedSessionOptions } from '../plugin/options';
import { SaveEnvironment } from './persistence';
import { SessionContext } from './SessionContext';

/** Where a call's session comes from, for the label a devices page shows. */
export interface LabelSource {
    readonly ctx: SessionContext;
    label(): string | undefined;
}

/**
 * What planSave needs from a call, as one object with no closures: every call that read its
 * session makes one at its end.
 */
export class CallSaveEnvironment implements SaveEnvironment {
    readonly options: ResolvedSessionOptions;
    readonly now: number;
    readonly #session: LabelSource;

    constructor(session: LabelSource) {
        this.options = session.ctx.options;
        this.now = this.options.now();
        this.#session = session;
    }

    newId(): string {
        return this.#session.ctx.codec.newId();
    }

    storeKey(id: string): string {
        return this.#session.ctx.codec.storeKey(id);
    }

    label(): string | undefined {
        return this.#session.label();
    }
}
