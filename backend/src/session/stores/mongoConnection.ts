import type { MongoClient } from 'mongodb';

/**
 * Keeps MongoStore's client connected. The driver (6 and 7 alike) gives up for good when its first
 * connection fails: the client's topology is closed and every later operation fails with "Topology
 * is closed", without trying again. Only an explicit `connect()` reopens it, so this class calls it,
 * in the background with a bounded back-off, until MongoDB answers; meanwhile operations reject at
 * once with an error that says which store, where and what to check. Once connected, the driver's
 * own monitoring rides out later outages.
 */
/** Where the connection is in its life; each phase carries only what it needs. */
type Phase =
    | { name: 'idle' }
    | { name: 'connecting'; attempt: Promise<void> }
    | { name: 'waiting'; retry: NodeJS.Timeout; lastError: unknown }
    | { name: 'connected' }
    | { name: 'closed' };

export class MongoConnection {
    readonly #client: MongoClient;
    readonly #ownsClient: boolean;
    readonly #where: string;
    readonly #maxDelayMs: number;
    #phase: Phase = { name: 'idle' };
    #failures = 0;

    constructor(client: MongoClient, { ownsClient, maxDelayMs = MAX_RECONNECT_DELAY_MS }: { ownsClient: boolean; maxDelayMs?: number }) {
        this.#client = client;
        this.#ownsClient = ownsClient;
        this.#where = whereOf(client);
        this.#maxDelayMs = maxDelayMs;
    }

    /** Resolves once connected; rejects at once while MongoDB has not answered yet (a retry is then under way). */
    async ready(): Promise<void> {
        if (this.#phase.name === 'idle') this.#connect();
        if (this.#phase.name === 'connecting') await this.#phase.attempt;
        const phase = this.#phase as Phase;
        if (phase.name === 'connected') return;
        if (phase.name !== 'waiting') throw new MongoStoreError('tsrpc-session: MongoStore is closed');
        throw new MongoStoreError(
            `tsrpc-session: MongoStore cannot reach MongoDB at ${this.#where} (${messageOf(phase.lastError)}): `
            + `is it running, and does the store's uri (e.g. MONGODB_URI) name it? Reconnecting in the background`,
            phase.lastError,
        );
    }

    /** Runs one store operation once connected; a driver error comes out saying which store and what to check. */
    async run<T>(operation: string, body: () => Promise<T>): Promise<T> {
        await this.ready();
        try {
            return await body();
        } catch (e) {
            if (e instanceof MongoStoreError) throw e;
            if (isClosedTopology(e) && this.#phase.name === 'connected') {
                // Someone closed the client under the store: connect it again rather than fail forever.
                this.#connect();
            }
            throw new MongoStoreError(`tsrpc-session: MongoStore ${operation} failed on ${this.#where}: ${messageOf(e)}; ${hintFor(e, this.#where)}`, e);
        }
    }

    /** Stops reconnecting, and closes the client when the store created it. */
    async close(): Promise<void> {
        const phase = this.#phase;
        this.#phase = { name: 'closed' };
        if (phase.name === 'waiting') clearTimeout(phase.retry);
        if (phase.name === 'connecting') await phase.attempt;
        if (this.#ownsClient && phase.name !== 'closed') await this.#client.close();
    }

    #connect(): void {
        const attempt = this.#client.connect().then(
            () => {
                if (this.#phase.name === 'closed') return;
                this.#phase = { name: 'connected' };
                this.#failures = 0;
            },
            (lastError: unknown) => {
                if (this.#phase.name === 'closed') return;
                const delay = Math.min(100 * 2 ** this.#failures++, this.#maxDelayMs);
                const retry = setTimeout(() => {
                    if (this.#phase.name === 'waiting') this.#connect();
                }, delay);
                retry.unref();
                this.#phase = { name: 'waiting', retry, lastError };
            },
        );
        this.#phase = { name: 'connecting', attempt };
    }
}

/** Back-off between connection attempts grows to this, so a server that starts is found within it (plus server selection). */
const MAX_RECONNECT_DELAY_MS = 1000;

/** An error of MongoStore: says which store, what failed and what to check; the driver's error is its `cause`. */
export class MongoStoreError extends Error {
    constructor(message: string, cause?: unknown) {
        super(message, cause === undefined ? undefined : { cause });
        this.name = 'MongoStoreError';
    }
}

/** Driver error names (not classes: a client of mongodb 6 and this package's mongodb 7 have different classes). */
const CONNECTION_ERRORS = new Set([
    'MongoServerSelectionError', 'MongoNetworkError', 'MongoNetworkTimeoutError', 'MongoTopologyClosedError', 'MongoNotConnectedError',
]);
/** AuthenticationFailed, Unauthorized. */
const AUTH_CODES = new Set([18, 13]);

function isClosedTopology(e: unknown): boolean {
    const name = (e as Error)?.name;
    return name === 'MongoTopologyClosedError' || name === 'MongoNotConnectedError';
}

function hintFor(e: unknown, where: string): string {
    if (CONNECTION_ERRORS.has((e as Error)?.name)) return `check that MongoDB runs and is reachable at ${where}`;
    if (AUTH_CODES.has((e as { code?: number })?.code as number)) return `check the user, password and authSource in the store's uri, and that the user may read and write its database`;
    return `check MongoDB's log at ${where}`;
}

function messageOf(e: unknown): string {
    return (e as Error)?.message ?? String(e);
}

/** The hosts the client connects to, never its credentials. */
function whereOf(client: MongoClient): string {
    const hosts = (client.options as { hosts?: unknown[] } | undefined)?.hosts;
    return Array.isArray(hosts) && hosts.length > 0 ? hosts.map(String).join(',') : 'the configured server';
}
