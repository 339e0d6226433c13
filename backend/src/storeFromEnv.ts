import { MemoryStore, SessionStore } from './session';

/** The store `npm start` uses: `SESSION_STORE` = memory (default) | mongo | redis. */
export async function storeFromEnv(env: NodeJS.ProcessEnv): Promise<SessionStore> {
    const kind = env.SESSION_STORE ?? 'memory';
    switch (kind) {
        case 'memory':
            return new MemoryStore();
        default:
            throw new Error(`SESSION_STORE=${kind} is not supported (memory)`);
    }
}
