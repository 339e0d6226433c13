import { fstatSync, readSync, writeSync } from 'fs';
import net from 'net';

/**
 * What `bench/sealedWriteAB.ts` does before each call, the same for bare and plugin calls, to
 * imitate in process what a WebSocket server does between two calls (issue 24, fourth and fifth
 * passes). Each flag takes a size:
 *
 * - `--thrash KB`: writes KB of memory, as another process would leave the data caches;
 * - `--syscalls N`: N `fstat` syscalls (with `pti=on` and no PCID, each flushes the TLB);
 * - `--tcp BYTES`: BYTES written to a loopback TCP connection and read back, the kernel's networking;
 * - `--cold-code N`: N small functions of distinct machine code run, a code footprint between calls.
 */
export async function workBetweenCalls(argv: readonly string[]): Promise<() => void> {
    const size = (flag: string) => {
        const at = argv.indexOf(flag);
        return at < 0 ? 0 : Number(argv[at + 1]);
    };
    const steps: (() => void)[] = [];
    const thrashKb = size('--thrash');
    if (thrashKb > 0) steps.push(thrasher(thrashKb));
    const syscalls = size('--syscalls');
    if (syscalls > 0) steps.push(() => {
        for (let i = 0; i < syscalls; i++) fstatSync(0);
    });
    const tcpBytes = size('--tcp');
    if (tcpBytes > 0) steps.push(await loopbackRoundTrip(tcpBytes));
    const functions = size('--cold-code');
    if (functions > 0) steps.push(coldCode(functions));
    return () => {
        for (const step of steps) step();
    };
}

function thrasher(kb: number): () => void {
    const memory = Buffer.alloc(kb * 1024);
    let round = 0;
    return () => void memory.fill(round++ & 0xff);
}

/** Writes `bytes` into one end of a loopback TCP connection and reads them from the other, synchronously. */
async function loopbackRoundTrip(bytes: number): Promise<() => void> {
    const [writeFd, readFd] = await socketPair();
    const chunk = Buffer.alloc(bytes, 7);
    const received = Buffer.alloc(65_536);
    return () => {
        writeSync(writeFd, chunk);
        for (let got = 0; got < bytes;) {
            try {
                got += readSync(readFd, received, 0, received.length, null);
            } catch {
                // EAGAIN: the bytes are still on their way through the loopback.
            }
        }
    };
}

/** The file descriptors of both ends of a loopback TCP connection, paused so that Node reads nothing itself. */
function socketPair(): Promise<[number, number]> {
    return new Promise((resolve, reject) => {
        let accepted: number | undefined;
        let connected: number | undefined;
        const done = () => accepted !== undefined && connected !== undefined && resolve([connected, accepted]);
        const server = net.createServer(socket => {
            socket.pause();
            accepted = (socket as unknown as { _handle: { fd: number } })._handle.fd;
            server.close();
            done();
        });
        server.on('error', reject);
        server.listen(0, '127.0.0.1', () => {
            const client = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1', () => {
                client.pause();
                connected = (client as unknown as { _handle: { fd: number } })._handle.fd;
                done();
            });
            client.on('error', reject);
        });
    });
}

/** `count` functions compiled from distinct source, so each has machine code of its own, all run each time. */
function coldCode(count: number): () => void {
    const functions = Array.from({ length: count }, (_, i) => new Function('x', `
        let s = x ^ ${i};
        for (let k = 0; k < 3; k++) {
            if ((s & ${i % 7 + 1}) === ${i % 3}) s = (s * ${i + 3} + ${i}) | 0;
            else if (s > ${i * 13}) s = (s >>> ${i % 5 + 1}) + ${i * 7};
            else s = (s ^ ${i * 31}) - ${i % 11};
        }
        const o = { a${i}: s, b: ${i} };
        return o.a${i} + o.b;`) as (x: number) => number);
    let sink = 0;
    return () => {
        for (let i = 0; i < count; i++) sink = (sink + functions[i](i)) | 0;
    };
}
