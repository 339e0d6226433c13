import { HttpClient, WsClient } from 'tsrpc';
import { ServiceType } from '../protocols/serviceProto';

export interface WriterLog {
    /** Writes the server acknowledged: key `k<seq>` set to `seq`. */
    acked: { seq: number; at: number }[];
    failures: { seq: number; at: number; code?: string | number; message: string }[];
}

/**
 * Each client writes `k<seq>` = seq into its own session, one call after another, until `done`
 * (asked every 50 ms) says stop. Every outcome is logged with its time.
 */
export async function runWriters(
    clients: (HttpClient<ServiceType> | WsClient<ServiceType>)[],
    done: (elapsedMs: () => number) => Promise<boolean>,
): Promise<WriterLog[]> {
    const start = Date.now();
    let stop = false;
    const logs = clients.map(() => ({ acked: [], failures: [] } as WriterLog));
    const writers = clients.map(async (client, i) => {
        for (let seq = 0; !stop; seq++) {
            const ret = await client.callApi('SessionSet', { key: `k${seq}`, value: seq });
            const at = Date.now();
            if (ret.isSucc) logs[i].acked.push({ seq, at });
            else logs[i].failures.push({ seq, at, code: ret.err.code, message: ret.err.message });
        }
    });
    while (!stop) {
        stop = await done(() => Date.now() - start);
        if (!stop) await new Promise(resolve => setTimeout(resolve, 50));
    }
    await Promise.all(writers);
    return logs;
}
