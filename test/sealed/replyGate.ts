import { BaseServer } from 'tsrpc';

/**
 * Holds chosen replies of real servers after the session plugin saved and sealed them, so a test
 * decides the order in which parallel replies reach the client. A call is named by its `key`
 * (SessionSet) or else by its API name.
 */
export class ReplyGate {
    readonly #held = new Map<string, { reached: Promise<void>; reach(): void; released: Promise<void>; release(): void }>();

    constructor(servers: readonly BaseServer<any>[], names: readonly string[]) {
        for (const name of names) {
            let reach!: () => void;
            let release!: () => void;
            const reached = new Promise<void>(resolve => { reach = resolve; });
            const released = new Promise<void>(resolve => { release = resolve; });
            this.#held.set(name, { reached, reach, released, release });
        }
        for (const server of servers) {
            // After the session plugin's own return flow (pushed at enableSession): the seal is made.
            server.flows.preApiReturnFlow.push(async v => {
                const { call } = v;
                const name = typeof call.req?.key === 'string' ? call.req.key : call.service.name;
                const held = this.#held.get(name);
                if (held) {
                    held.reach();
                    await held.released;
                }
                return v;
            });
        }
    }

    /** Resolves once the named call's reply is sealed and waiting to be sent. */
    reached(name: string): Promise<void> {
        return this.#entry(name).reached;
    }

    release(name: string): void {
        this.#entry(name).release();
    }

    #entry(name: string) {
        const held = this.#held.get(name);
        if (!held) throw new Error(`no held call named ${name}`);
        return held;
    }
}
