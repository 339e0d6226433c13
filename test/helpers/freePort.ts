import { once } from 'events';
import { createServer } from 'net';

/**
 * A port nothing listens on now: to start a server on (one whose port cannot be read back), or to
 * call as "the server is down". Probed on every interface, so it is free on loopback too.
 */
export async function freePort(): Promise<number> {
    const probe = createServer();
    probe.listen(0);
    await once(probe, 'listening');
    const { port } = probe.address() as { port: number };
    probe.close();
    await once(probe, 'close');
    return port;
}
