import type { BenchApi } from '../scenarios';

/** One simulated user: its own connection (keep-alive socket or WebSocket) and its own cookies. */
export interface BenchClient {
    /** Resolves on success; rejects on any failure, so errors are counted and never timed as calls. */
    call(api: BenchApi | 'Setup' | 'SessionEnd', req: object): Promise<void>;
    close(): Promise<void>;
}
